import { toValue, watch, type MaybeRefOrGetter } from 'vue';
import { api } from '../api/client.ts';
import { useCall } from './use-call.ts';

/** The Overview tab of one service: read once when shown, again on Refresh. */
export function useOverview(serviceId: MaybeRefOrGetter<string>) {
  const loader = useCall((id: string) => api.call('overview.get', { serviceId: id }));
  const reload = () => loader.run(toValue(serviceId));
  watch(() => toValue(serviceId), () => void reload(), { immediate: true });
  return { overview: loader.data, failure: loader.failure, loading: loader.loading, reload };
}
