import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef } from 'vue';
import type { AuditRowView } from '../../../shared/contract/audit.ts';
import { api } from '../api/client.ts';
import { useCall } from '../composables/use-call.ts';
import { filterInput, isFiltered, listInput, matchesFilters, mergeRows, noAuditFilters, oldestSeq, type AuditFilters } from '../audit/audit-rows.ts';
import { downloadText } from '../shell/download.ts';

/** How long live rows are gathered before the table is updated once for all of them. */
const liveBatchMs = 100;

/**
 * The Audit Log page's data: the rows shown (newest first), the filters, paging with
 * "Load more", chain verification, export, and live appends from `audit.appended`.
 *
 * Rows live in a shallowRef and are replaced as a whole, never deep-watched: the trail can
 * be long, and each update is one new array.
 */
export const useAuditLogStore = defineStore('audit-log', () => {
  const rows = shallowRef<AuditRowView[]>([]);
  const hasMore = ref(false);
  const filters = reactive<AuditFilters>(noAuditFilters());
  /** The row whose detail drawer is open. */
  const selected = shallowRef<AuditRowView>();

  const firstPage = useCall((input: ReturnType<typeof listInput>) => api.call('audit.list', input));
  const olderPage = useCall((input: ReturnType<typeof listInput>) => api.call('audit.list', input));
  const verification = useCall(() => api.call('audit.verify', {}));
  const exporting = useCall(() => api.call('audit.export', filterInput(filters)));
  const finding = useCall((seq: number) => api.call('audit.list', { limit: 1, beforeSeq: seq + 1 }));
  const acknowledging = useCall((reason: string) => api.call('audit.acknowledge', { reason }));

  const live = ref<'off' | 'live' | 'stopped'>('off');
  const liveStopReason = ref<string>();
  let cancelLive: (() => void) | undefined;
  let pendingLive: AuditRowView[] = [];
  let liveFlush: ReturnType<typeof setTimeout> | undefined;

  async function reload(): Promise<void> {
    const page = await firstPage.run(listInput(filters));
    if (!page) return;
    // rows that arrived live while the page was loading are kept if they still match
    rows.value = mergeRows(page.rows, rows.value.filter((row) => matchesFilters(row, filters) && row.seq > (page.rows[0]?.seq ?? 0)));
    hasMore.value = page.hasMore;
  }

  async function loadMore(): Promise<void> {
    const before = oldestSeq(rows.value);
    if (before === undefined) return;
    const page = await olderPage.run(listInput(filters, before));
    if (!page) return;
    rows.value = mergeRows(rows.value, page.rows);
    hasMore.value = page.hasMore;
  }

  // each change starts a new read; only the newest one's answer is shown
  let filterGeneration = 0;
  async function applyFilters(next: Partial<AuditFilters>): Promise<void> {
    Object.assign(filters, next);
    const generation = ++filterGeneration;
    rows.value = [];
    hasMore.value = false;
    olderPage.reset();
    const page = await firstPage.run(listInput(filters));
    if (!page || generation !== filterGeneration) return;
    rows.value = mergeRows(page.rows, rows.value.filter((row) => matchesFilters(row, filters) && row.seq > (page.rows[0]?.seq ?? 0)));
    hasMore.value = page.hasMore;
  }

  /** Opens the detail drawer on a row. */
  function select(row: AuditRowView | undefined): void {
    selected.value = row;
  }

  /** Opens the drawer on the row with this seq (a linked started or outcome row), reading it if it is not shown. */
  async function selectSeq(seq: number): Promise<void> {
    const shown = rows.value.find((row) => row.seq === seq);
    if (shown) {
      selected.value = shown;
      return;
    }
    const page = await finding.run(seq);
    const row = page?.rows[0];
    if (row?.seq === seq) selected.value = row;
  }

  function flushLive(): void {
    liveFlush = undefined;
    const matching = pendingLive.filter((row) => matchesFilters(row, filters));
    pendingLive = [];
    rows.value = mergeRows(rows.value, matching);
  }

  /** Subscribes before the first page is read, so no row recorded in between is missed. */
  function startLive(): void {
    stopLive();
    live.value = 'live';
    liveStopReason.value = undefined;
    cancelLive = api.subscribe(
      'audit.appended',
      {},
      {
        event(row) {
          pendingLive.push(row);
          liveFlush ??= setTimeout(flushLive, liveBatchMs);
        },
        end(end) {
          cancelLive = undefined;
          if (end.reason === 'error') {
            live.value = 'stopped';
            liveStopReason.value = end.error.message;
          } else if (end.reason === 'done') {
            live.value = 'stopped';
          }
        },
      },
    );
  }

  function stopLive(): void {
    const cancel = cancelLive;
    cancelLive = undefined;
    cancel?.();
    if (liveFlush !== undefined) clearTimeout(liveFlush);
    liveFlush = undefined;
    pendingLive = [];
    live.value = 'off';
  }

  /** The page opened: start live updates and read the newest rows. */
  async function open(): Promise<void> {
    startLive();
    await reload();
  }

  /** Retry after a failure: both the list and, if it stopped, the live updates. */
  async function retry(): Promise<void> {
    if (live.value !== 'live') startLive();
    await reload();
  }

  async function verify(): Promise<void> {
    await verification.run();
  }

  /** After a reviewed finding: records the acknowledgement (an audit.reseal row), then verifies again. */
  async function acknowledge(reason: string): Promise<boolean> {
    const row = await acknowledging.run(reason);
    if (!row) return false;
    await verification.run();
    return true;
  }

  function dismissVerification(): void {
    verification.reset();
  }

  async function exportTrail(): Promise<string | undefined> {
    const file = await exporting.run();
    if (!file) return undefined;
    downloadText(file.fileName, file.jsonLines, 'application/x-ndjson');
    return file.fileName;
  }

  return {
    rows,
    hasMore,
    filters,
    filtered: computed(() => isFiltered(filters)),
    selected: computed(() => selected.value),
    select,
    selectSeq,
    loading: firstPage.loading,
    loadFailure: firstPage.failure,
    loadingMore: olderPage.loading,
    loadMoreFailure: olderPage.failure,
    verifying: verification.loading,
    verification: verification.data,
    verificationFailure: verification.failure,
    acknowledging: acknowledging.loading,
    acknowledgeFailure: acknowledging.failure,
    exporting: exporting.loading,
    exportFailure: exporting.failure,
    live: computed(() => live.value),
    liveStopReason: computed(() => liveStopReason.value),
    open,
    close: stopLive,
    retry,
    reload,
    loadMore,
    applyFilters,
    verify,
    dismissVerification,
    acknowledge,
    exportTrail,
    startLive,
  };
});
