import type { App, MaybeRef } from 'vue';
import { createDiscreteApi, type ConfigProviderProps } from 'naive-ui';
import { i18n } from './i18n/index.ts';
import { toFailure, type Failure } from './shell/failure.ts';

/**
 * The window's one path for messages raised outside components (stores, global handlers):
 * naive-ui's discrete API, themed like the app. Components get the same functions.
 */
type Discrete = ReturnType<typeof createDiscreteApi<'notification' | 'message'>>;

let configProps: MaybeRef<ConfigProviderProps> = {};
let discrete: Discrete | undefined;

function api(): Discrete {
  discrete ??= createDiscreteApi(['notification', 'message'], { configProviderProps: configProps });
  return discrete;
}

/** Follows the app's theme and language; call once at boot, before anything is shown. */
export function configureNotifications(props: MaybeRef<ConfigProviderProps>): void {
  configProps = props;
  discrete?.unmount();
  discrete = undefined;
}

/** Shows a failure: an ApiError with its own message, anything else with a generic text. */
export function notifyError(error: unknown, title?: string): void {
  const failure = toFailure(error);
  // the operator cancelled a confirmation: nothing happened, nothing to report
  if (failure.code === 'CANCELLED') return;
  if (failure.code === 'UNEXPECTED') console.error('[kiops] unexpected error in the window', error);
  notifyFailure(failure, title);
}

export function notifyFailure(failure: Failure, title?: string): void {
  const { t } = i18n.global;
  api().notification.error({
    title: title ?? t('common.errorTitle'),
    content: failure.message ?? t('common.unexpectedError'),
    duration: 8000,
    keepAliveOnHover: true,
  });
}

export function notifySuccess(text: string): void {
  api().message.success(text);
}

/** Routes every error nothing else caught (render errors, rejected promises) to `notifyError`. */
export function routeUncaughtErrors(app: App): void {
  app.config.errorHandler = (error) => notifyError(error);
  window.addEventListener('unhandledrejection', (event) => {
    event.preventDefault();
    notifyError(event.reason);
  });
}
