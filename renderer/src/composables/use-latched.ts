import { ref, watch, type Ref, type WatchSource } from 'vue';

/** True from the first moment `source` is true, and for good: a view mounted on first use that then stays mounted. */
export function useLatched(source: WatchSource<boolean>): Ref<boolean> {
  const latched = ref(false);
  watch(source, (now) => (latched.value ||= now), { immediate: true });
  return latched;
}
