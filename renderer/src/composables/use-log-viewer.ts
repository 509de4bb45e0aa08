import { computed, nextTick, ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue';
import type { CallInput } from '../../../shared/contract/index.ts';
import { defaultTailLines, maxTailLines, type LogSnapshotView } from '../../../shared/contract/logs.ts';
import { api } from '../api/client.ts';
import type { AnsiLine } from '../components/terminal/ansi.ts';
import { parseAnsiLazily } from '../components/terminal/lazy-ansi.ts';
import { findMatches, stepMatch } from '../components/terminal/log-search.ts';
import { useCall } from './use-call.ts';
import { useOperationsStore } from '../stores/operations.ts';

/** Tail sizes offered; "Load earlier" moves to the next one. */
export const tailSizes = [100, 500, defaultTailLines, 5_000, 10_000, maxTailLines] as const;

export interface LogTargetOption {
  readonly value: string;
  readonly label: string;
  readonly containers: readonly { value: string; label: string; previousAvailable: boolean }[];
}

/**
 * The Log Viewer tab of one service: targets (pods or containers), one snapshot at a time,
 * and everything done to the snapshot in the window (search, copy, download). No follow.
 */
export function useLogViewer(serviceId: MaybeRefOrGetter<string>) {
  const targetsCall = useCall((id: string) => api.call('logs.targets', { serviceId: id }));
  const fetchCall = useCall((input: CallInput<'logs.fetch'>) => api.call('logs.fetch', input));

  const target = ref<string | null>(null);
  const container = ref<string | null>(null);
  const previous = ref(false);
  const tailLines = ref<number>(defaultTailLines);
  const timestamps = ref(false);
  const wrap = ref(false);
  const query = ref('');
  const activeMatch = ref(-1);
  const snapshot = shallowRef<(LogSnapshotView & { label: string }) | null>(null);
  const lines = shallowRef<AnsiLine[]>([]);

  const runtime = computed(() => targetsCall.data.value?.runtime ?? null);
  const options = computed<LogTargetOption[]>(() => {
    const data = targetsCall.data.value;
    if (!data) return [];
    if (data.runtime === 'engine') return data.containers.map((c) => ({ value: c.id, label: `${c.name} · ${c.state}`, containers: [] }));
    return data.pods.map((pod) => ({
      value: pod.name,
      label: `${pod.name} · ${pod.phase}`,
      containers: pod.containers.map((c) => ({
        value: c.name,
        label: `${c.name}${c.init ? ' (init)' : ''} · ${c.reason ?? c.state}${c.restartCount ? ` · ↻${c.restartCount}` : ''}`,
        previousAvailable: c.previousAvailable,
      })),
    }));
  });
  const selected = computed(() => options.value.find((option) => option.value === target.value) ?? null);
  const selectedContainer = computed(() => selected.value?.containers.find((c) => c.value === container.value) ?? null);
  const previousAvailable = computed(() => selectedContainer.value?.previousAvailable ?? false);

  watch(selected, (option) => {
    container.value = option?.containers[0]?.value ?? null;
  });
  watch(previousAvailable, (available) => {
    if (!available) previous.value = false;
  });

  async function loadTargets(): Promise<void> {
    const data = await targetsCall.run(toValue(serviceId));
    if (data && !options.value.some((option) => option.value === target.value)) target.value = options.value[0]?.value ?? null;
  }
  watch(() => toValue(serviceId), () => void loadTargets(), { immediate: true });

  // a request from elsewhere in the modal ("Previous container's logs" beside a crash loop)
  const operations = useOperationsStore();
  async function applyRequest(): Promise<void> {
    const request = operations.logRequest;
    if (!request || !options.value.some((option) => option.value === request.pod)) return;
    operations.logRequest = undefined;
    target.value = request.pod;
    await nextTick();
    container.value = request.container;
    await nextTick();
    previous.value = request.previous && previousAvailable.value;
    await view();
  }
  watch([() => operations.logRequest, options], () => void applyRequest(), { immediate: true });

  /** The snapshot shown is from an earlier fetch: the newest one failed. */
  const stale = ref(false);

  async function view(): Promise<void> {
    const value = target.value;
    if (value === null) return;
    const isPod = runtime.value === 'kubernetes';
    const label = isPod ? `${value}${container.value ? ` / ${container.value}` : ''}${previous.value ? ' (previous)' : ''}` : (selected.value?.label.split(' · ')[0] ?? value);
    const result = await fetchCall.run({
      serviceId: toValue(serviceId),
      target: isPod ? { kind: 'pod', pod: value, ...(container.value ? { container: container.value } : {}), previous: previous.value } : { kind: 'container', containerId: value },
      tailLines: tailLines.value,
      timestamps: timestamps.value,
    });
    // A failed fetch keeps the last output (it is real history) but marks it as not the newest.
    stale.value = !result && snapshot.value !== null;
    if (!result) return;
    snapshot.value = { ...result, label };
    lines.value = parseAnsiLazily(result.text);
    activeMatch.value = -1;
  }

  /** Fetches the next bigger tail; the view keeps its place at the bottom. */
  async function loadEarlier(): Promise<void> {
    const next = tailSizes.find((size) => size > tailLines.value);
    if (next === undefined) return;
    tailLines.value = next;
    await view();
  }
  const canLoadEarlier = computed(() => snapshot.value?.truncated === 'lines' && tailLines.value < maxTailLines);

  function clear(): void {
    snapshot.value = null;
    stale.value = false;
    lines.value = [];
    activeMatch.value = -1;
    fetchCall.failure.value = undefined;
  }

  const matches = computed(() => findMatches(lines.value, query.value));
  watch(matches, (found) => {
    activeMatch.value = found.length ? 0 : -1;
  });
  const next = () => (activeMatch.value = stepMatch(activeMatch.value, matches.value.length, 1));
  const previousMatch = () => (activeMatch.value = stepMatch(activeMatch.value, matches.value.length, -1));

  /** What was fetched, as text without escape codes (what the operator sees). */
  const plainText = () => lines.value.map((line) => line.text).join('\n');
  const copy = () => navigator.clipboard.writeText(plainText());
  function download(): void {
    const shot = snapshot.value;
    if (!shot) return;
    const name = `${shot.label.replace(/[^\w.-]+/g, '_')}-${shot.fetchedAt.replace(/[:.]/g, '-')}.log`;
    const url = URL.createObjectURL(new Blob([plainText()], { type: 'text/plain;charset=utf-8' }));
    const link = Object.assign(document.createElement('a'), { href: url, download: name });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  }

  return {
    runtime,
    options,
    selected,
    previousAvailable,
    targetsFailure: targetsCall.failure,
    targetsLoading: targetsCall.loading,
    loadTargets,
    target,
    container,
    previous,
    tailLines,
    timestamps,
    wrap,
    query,
    snapshot,
    stale,
    lines,
    loading: fetchCall.loading,
    failure: fetchCall.failure,
    view,
    loadEarlier,
    canLoadEarlier,
    clear,
    matches,
    activeMatch,
    next,
    previousMatch,
    copy,
    download,
  };
}

export type LogViewer = ReturnType<typeof useLogViewer>;
