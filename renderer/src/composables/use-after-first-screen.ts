import { onMounted, ref, type Ref } from 'vue';

/**
 * At most this long after mounting, what waits for the first screen is drawn anyway: a window
 * the system keeps hidden or occluded gets no animation frames (Chromium stops them), and its
 * chrome must still come.
 */
export const afterFirstScreenAtMostMs = 100;

/**
 * True once the window has painted the screen it opened on. The window's chrome around the list
 * (the side menu, the theme and language choices, the status bar, the filters) is drawn then, a
 * frame after the list's own frame, so opening a window shows the services first; each keeps its
 * place reserved, so nothing moves when it appears.
 */
export function useAfterFirstScreen(): Ref<boolean> {
  const shown = ref(false);
  const show = () => {
    shown.value = true;
  };
  onMounted(() => {
    requestAnimationFrame(() => setTimeout(show));
    setTimeout(show, afterFirstScreenAtMostMs);
  });
  return shown;
}
