import { onMounted, ref, type Ref } from 'vue';

/**
 * True once the window has painted the screen it opened on. The window's chrome around the list
 * (the side menu, the theme and language choices, the status bar) is drawn then, a frame after
 * the list's own frame, so opening a window shows the services first; each keeps its place
 * reserved, so nothing moves when it appears.
 */
export function useAfterFirstScreen(): Ref<boolean> {
  const shown = ref(false);
  onMounted(() => requestAnimationFrame(() => setTimeout(() => (shown.value = true))));
  return shown;
}
