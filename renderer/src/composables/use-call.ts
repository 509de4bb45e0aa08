import { ref, shallowRef } from 'vue';
import { toFailure, type Failure } from '../shell/failure.ts';

/**
 * One request with its loading and error state, the pattern every page repeats. Failures
 * become state (shown next to what failed, with a retry) rather than thrown errors. When
 * runs overlap, only the latest one's result and error are kept.
 */
export function useCall<Args extends unknown[], Result>(request: (...args: Args) => Promise<Result>) {
  const data = shallowRef<Result>();
  const failure = shallowRef<Failure>();
  const loading = ref(false);
  let latest = 0;

  async function run(...args: Args): Promise<Result | undefined> {
    const id = ++latest;
    loading.value = true;
    failure.value = undefined;
    try {
      const result = await request(...args);
      if (id === latest) data.value = result;
      return result;
    } catch (error) {
      if (id === latest) {
        failure.value = toFailure(error);
        if (failure.value.code === 'UNEXPECTED') console.error('[kiops] unexpected error in a call', error);
      }
      return undefined;
    } finally {
      if (id === latest) loading.value = false;
    }
  }

  function reset(): void {
    latest++;
    data.value = undefined;
    failure.value = undefined;
    loading.value = false;
  }

  return { data, failure, loading, run, reset };
}
