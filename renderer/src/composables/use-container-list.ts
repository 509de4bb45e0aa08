import { computed, onScopeDispose, ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue';
import type { ContainerRowView, ContainerStatsView, ContainerWatchEvent } from '../../../shared/contract/containers.ts';
import type { ErrorBody, MessageText } from '../../../shared/errors.ts';
import { api } from '../api/client.ts';
import { useCountdown } from './use-countdown.ts';
import { i18n } from '../i18n/index.ts';
import { notifyError, notifySuccess } from '../notifications.ts';
import { askedAlready } from '../api/production-guard.ts';

/** A watch session id for one open list (main keys the auto-refresh toggle by it). */
function newSessionId(): string {
  return `cl-${crypto.randomUUID().replaceAll('-', '')}`;
}

/**
 * The Container List of one Docker/Podman service: rows from the engine's event stream,
 * statistics by container id (kept between samples so numbers do not blink), the 30-second
 * auto-refresh toggle of this list, and Restart.
 */
export function useContainerList(serviceId: MaybeRefOrGetter<string>) {
  const rows = shallowRef<readonly ContainerRowView[]>([]);
  const stats = shallowRef(new Map<string, ContainerStatsView>());
  const autoRefresh = ref(true);
  const intervalMs = ref(30_000);
  const liveUpdates = shallowRef<{ following: boolean; message: string | null; messageText?: MessageText | undefined }>({ following: true, message: null });
  /** Counts down to the next reconnect attempt while live updates are paused. */
  const reconnectCountdown = useCountdown();
  const problem = shallowRef<{ message: string; messageText?: MessageText | undefined } | null>(null);
  const streamError = shallowRef<ErrorBody>();
  const received = ref(false);
  const lastUpdated = ref<string | null>(null);
  const restarting = ref(new Set<string>());
  const togglingAutoRefresh = ref(false);
  let sessionId = newSessionId();
  let cancel: (() => void) | null = null;

  function apply(event: ContainerWatchEvent): void {
    switch (event.kind) {
      case 'rows':
        rows.value = event.rows;
        received.value = true;
        problem.value = null;
        lastUpdated.value = event.at;
        break;
      case 'stats': {
        const next = new Map(stats.value);
        for (const sample of event.samples) next.set(sample.containerId, sample);
        stats.value = next;
        lastUpdated.value = event.at;
        break;
      }
      case 'auto-refresh':
        autoRefresh.value = event.enabled;
        intervalMs.value = event.intervalMs;
        break;
      case 'events':
        liveUpdates.value = { following: event.state === 'following', message: event.message, messageText: event.messageText };
        reconnectCountdown.start(event.state === 'reconnecting' ? (event.retryInMs ?? null) : null);
        break;
      case 'problem':
        problem.value = { message: event.message, messageText: event.messageText };
        break;
    }
  }

  function subscribe(): void {
    cancel?.();
    sessionId = newSessionId();
    streamError.value = undefined;
    cancel = api.subscribe('containers.watch', { serviceId: toValue(serviceId), sessionId }, {
      event: apply,
      end: (end) => {
        if (end.reason === 'error') streamError.value = end.error;
        cancel = null;
      },
    });
  }

  async function setAutoRefresh(enabled: boolean): Promise<void> {
    togglingAutoRefresh.value = true;
    try {
      autoRefresh.value = (await api.call('containers.setAutoRefresh', { serviceId: toValue(serviceId), sessionId, enabled })).enabled;
    } catch (error) {
      notifyError(error);
    } finally {
      togglingAutoRefresh.value = false;
    }
  }

  /** Refresh now; after a failed stream, subscribe again. */
  async function refresh(): Promise<void> {
    if (cancel === null) return subscribe();
    await api.call('containers.refresh', { serviceId: toValue(serviceId), sessionId }).catch((error: unknown) => notifyError(error));
  }

  async function restart(row: ContainerRowView, stopTimeoutSeconds: number): Promise<void> {
    restarting.value = new Set(restarting.value).add(row.id);
    try {
      await api.call('containers.restart', askedAlready({ serviceId: toValue(serviceId), containerId: row.id, stopTimeoutSeconds }));
      notifySuccess(i18n.global.t('containerList.restarted', { name: row.name }));
    } catch (error) {
      notifyError(error);
    } finally {
      const next = new Set(restarting.value);
      next.delete(row.id);
      restarting.value = next;
    }
  }

  const statsOf = (id: string) => stats.value.get(id);
  const runningCount = computed(() => rows.value.filter((row) => row.stateTone === 'running').length);

  watch(() => toValue(serviceId), subscribe, { immediate: true });
  onScopeDispose(() => cancel?.());

  return { rows, statsOf, runningCount, autoRefresh, intervalMs, togglingAutoRefresh, liveUpdates, reconnectIn: reconnectCountdown.seconds, problem, streamError, received, lastUpdated, restarting, setAutoRefresh, refresh, restart, resubscribe: subscribe };
}
