import type { OperationsTabId } from '../../../../shared/contract/operations.ts';

type Runtime = 'kubernetes' | 'docker' | 'podman';

/** The i18n key describing what a tab will do; a few tabs differ between Kubernetes and engines. */
export function plannedKey(tab: OperationsTabId, runtime: Runtime): string {
  const engine = runtime !== 'kubernetes';
  if (tab === 'deployment' || tab === 'commands' || tab === 'domains') return `operations.planned.${tab}${engine ? 'Engine' : 'Kubernetes'}`;
  return `operations.planned.${tab}`;
}
