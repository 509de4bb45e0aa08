import { onScopeDispose, ref, toValue, watch, type MaybeRefOrGetter } from 'vue';
import type { CallInput, CallName, CallOutput } from '../../../../shared/contract/index.ts';
import { api } from '../../api/client.ts';
import { useCall } from '../../composables/use-call.ts';
import { notifyError, notifySuccess } from '../../notifications.ts';
import { askedAlready } from '../../api/production-guard.ts';

export type ScalingBusy = 'replicas' | 'hpa' | 'delete-hpa' | 'resume-hpa' | 'metrics' | 'cleanup';

/**
 * The Scaling panel's state for one Deployment service: `scaling.get` on open, again shortly
 * after the pod table changes (a scale or the HPA acting shows up there first: the pod watch is
 * the live signal, so this does not poll), and after each action. After a Metrics Server
 * install it checks a few times until the metrics API answers, since that happens in
 * kube-system, outside this service's pod watch.
 */
export function useScaling(serviceId: MaybeRefOrGetter<string>, podsVersion: MaybeRefOrGetter<unknown>) {
  const status = useCall(() => api.call('scaling.get', { serviceId: toValue(serviceId) }));
  const busy = ref<ScalingBusy | null>(null);
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let settle: ReturnType<typeof setTimeout> | undefined;

  const refresh = () => status.run();
  watch(() => toValue(serviceId), () => void refresh(), { immediate: true });
  watch(
    () => toValue(podsVersion),
    () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => void refresh(), 600);
    },
  );

  async function act<N extends CallName>(kind: ScalingBusy, name: N, input: Omit<CallInput<N>, 'serviceId'>, done: (result: CallOutput<N>) => string, asked = false): Promise<CallOutput<N> | undefined> {
    busy.value = kind;
    try {
      const fields = { ...input, serviceId: toValue(serviceId) };
      // `asked`: the button's own pop-confirm or dialog asked already (no second plain confirm)
      const result = await api.call(name, (asked ? askedAlready(fields) : fields) as CallInput<N>);
      notifySuccess(done(result));
      return result;
    } catch (error) {
      notifyError(error);
      return undefined;
    } finally {
      busy.value = null;
      void refresh();
    }
  }

  /** Re-reads every 2 s (at most 30 times) until Metrics Server reports ready. */
  function awaitMetricsServer(remaining = 30): void {
    clearTimeout(settle);
    if (remaining === 0 || status.data.value?.metricsServer.ready) return;
    settle = setTimeout(() => void refresh().then(() => awaitMetricsServer(remaining - 1)), 2_000);
  }

  onScopeDispose(() => {
    clearTimeout(debounce);
    clearTimeout(settle);
  });

  return { status: status.data, failure: status.failure, loading: status.loading, busy, refresh, act, awaitMetricsServer };
}
