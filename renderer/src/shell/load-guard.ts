import { loadAttemptsKey, startedAttribute } from './load-guard-names.ts';

/**
 * The window's code has loaded and runs: index.html's load guard no longer reloads the page when
 * a file fails to load (a lazy view's chunk retries by itself), and its count starts again.
 */
export function markWindowStarted(): void {
  document.documentElement.setAttribute(startedAttribute, '');
  try {
    sessionStorage.removeItem(loadAttemptsKey);
  } catch {
    // storage off: the guard then never reloads, so nothing to reset
  }
}
