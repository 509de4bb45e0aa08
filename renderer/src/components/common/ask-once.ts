import { computed, type ComputedRef } from 'vue';
import { useOperationsStore } from '../../stores/operations.ts';

/**
 * Whether an action's own "are you sure?" steps aside for the open service: in production the
 * API guard shows ProductionConfirm (what will change, its diff, the service name to type), so
 * the button's click goes straight on — one confirmation, never two. AskOnce and the Pod List's
 * shared pop-confirm decide it here, so they cannot drift apart.
 */
export function useProductionAsks(): ComputedRef<boolean> {
  const operations = useOperationsStore();
  return computed(() => operations.frame?.environment.production === true);
}
