import { AppsV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import type { ErrorCode, MessageText } from '../../../../shared/errors.ts';
import { AppError } from '../../../../shared/errors.ts';
import { apiServerAnswers } from './api-probe.ts';
import { doing, kubeStatusCode, kubernetesError } from './kube-errors.ts';
import { labelSelectorQuery, type KubernetesServiceRef } from './kubernetes-access.ts';
import { PodChangeBatch } from './pod-change-batch.ts';
import { sameRow, toPodRow, type PodRow } from './pod-rows.ts';
import { forEachListed } from './raw-pages.ts';
import { watchCollection } from './raw-watch.ts';
import { backoffDelay, CancellableDelay, defaultBackoff, type BackoffPolicy } from './watch-backoff.ts';

export type PodWatchState =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'live' }
  /** A retryable problem (network, 5xx, watch dropped): retrying by itself after retryInMs. */
  | { readonly kind: 'reconnecting'; readonly reason: string; readonly reasonText?: MessageText; readonly attempt: number; readonly retryInMs: number }
  /** A problem that will not go away by waiting (forbidden, credentials, Deployment gone); still retried slowly, or now with retryNow(). */
  | { readonly kind: 'failed'; readonly reason: string; readonly reasonText?: MessageText; readonly code: ErrorCode; readonly retryInMs: number }
  | { readonly kind: 'stopped' };

/** One batch of row changes. Apply `upserted` by uid, drop `removed` uids; on `reset` start from an empty table. */
export interface PodRowChanges {
  readonly reset: boolean;
  readonly upserted: readonly PodRow[];
  readonly removed: readonly string[];
}

export interface PodWatchSubscriber {
  readonly onChanges: (changes: PodRowChanges) => void;
  readonly onState?: (state: PodWatchState) => void;
}

export interface PodWatchOptions {
  /**
   * The client configuration, or how to get it: a function is asked on start and again after
   * each failure, so a watch opened while its environment is unreachable waits and retries
   * instead of failing, and follows a connection method that changed meanwhile.
   */
  readonly kubeConfig: KubeConfig | (() => Promise<KubeConfig>);
  readonly service: KubernetesServiceRef;
  /**
   * Changes arriving within this window go out as one batch. Default 16 ms, about one display
   * frame: a burst of watch events is one IPC message per frame, a lone change waits at most that.
   */
  readonly batchMs?: number;
  readonly backoff?: BackoffPolicy;
  /** Server-side watch timeout; the watch then resumes from the last resourceVersion. Default 300 s. */
  readonly watchTimeoutSeconds?: number;
  /** Page size of the (re)list. Default 500. */
  readonly pageSize?: number;
  /**
   * A watch that has said nothing (no event, no bookmark) for this long is checked with a cheap
   * request; when that gets no answer either, the link is silent and the watch is restarted.
   * Default 5 s, so a frozen link shows within ~10 s.
   */
  readonly idleCheckMs?: number;
  /** How long the liveness probe may take. Default 4 s. */
  readonly probeTimeoutMs?: number;
  /** Rows per piece of a late subscriber's table. Default 500. */
  readonly resetPieceRows?: number;
}

const permanentCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['PERMISSION_DENIED', 'AUTH_FAILED', 'NOT_FOUND', 'INVALID_INPUT']);
/** Problems of the link or the server's availability: a probe can tell when they are over. */
const linkCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['UNREACHABLE', 'TIMEOUT', 'UNAVAILABLE']);
/** `resumable`: the server ended the watch at its timeoutSeconds, so nothing was missed. */
type WatchEnd = 'resumable' | 'uncertain' | 'expired';

interface ListedWaiter {
  readonly resolve: () => void;
  readonly reject: (problem: AppError) => void;
}

interface Subscription {
  readonly subscriber: PodWatchSubscriber;
  needsReset: boolean;
  /** Batches not handed over yet, oldest first: the later pieces of a large reset, and what came after them. */
  readonly outbox: PodRowChanges[];
  /** A later turn of the event loop will hand over the outbox's next batch. */
  draining: boolean;
}

/**
 * A late subscriber's table goes out in pieces of this many rows, one piece per turn of main's
 * event loop: checking and sending 20,000 rows at once holds main up for hundreds of milliseconds.
 */
const defaultResetPieceRows = 500;

/**
 * The live Pod List of one service: list + watch of the Deployment's pods (its selector, its
 * namespace), rows kept by uid, changes sent to subscribers in short batches.
 *
 * client-node's ListWatch stops on any error except 410, so this runs its own loop. The watch
 * resumes from its resourceVersion only after a clean end at the server's timeoutSeconds;
 * after anything else (410, a dropped or silent link, an API server restart that lost its
 * history, a resourceVersion the server no longer or not yet knows) continuity is uncertain,
 * so it lists again and replaces the table in one batch. Errors are reported as a state and
 * retried with backoff capped at 10 s, cut short by a probe as soon as the server answers.
 * Failures never throw out of here.
 */
export class PodWatch {
  private readonly kubeConfigSource: () => Promise<KubeConfig>;
  /** The configuration in use; null until the source first answers. */
  private kubeConfig: KubeConfig | null = null;
  private readonly service: KubernetesServiceRef;
  private readonly batchMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly watchTimeoutSeconds: number;
  private readonly pageSize: number;
  private readonly idleCheckMs: number;
  private readonly probeTimeoutMs: number;
  private readonly resetPieceRows: number;
  private readonly rowsByUid = new Map<string, PodRow>();
  private readonly pending = new PodChangeBatch();
  private readonly subscriptions = new Set<Subscription>();
  private readonly delay = new CancellableDelay();
  private current: PodWatchState = { kind: 'connecting' };
  private resourceVersion = '';
  private synced = false;
  /** A whole list has been read at least once: rows() holds every pod, kept live by the watch since. */
  private listedWhole = false;
  /** Why the last attempt failed; null once a list or watch succeeds again. */
  private problem: AppError | null = null;
  private listedWaiters: ListedWaiter[] = [];
  private stopped = false;
  private forceList = false;
  private freshConfig = false;
  private flushTimer: NodeJS.Timeout | null = null;
  private activeWatch: AbortController | null = null;
  private loop: Promise<void> | null = null;

  constructor(options: PodWatchOptions) {
    const source = options.kubeConfig;
    this.kubeConfigSource = typeof source === 'function' ? source : () => Promise.resolve(source);
    this.service = options.service;
    this.batchMs = options.batchMs ?? 16;
    this.backoff = options.backoff ?? defaultBackoff;
    this.watchTimeoutSeconds = options.watchTimeoutSeconds ?? 300;
    this.pageSize = options.pageSize ?? 500;
    this.idleCheckMs = options.idleCheckMs ?? 5_000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 4_000;
    this.resetPieceRows = Math.max(1, options.resetPieceRows ?? defaultResetPieceRows);
  }

  start(): void {
    if (this.loop !== null || this.stopped) return;
    this.loop = this.run();
  }

  /** Stops the watch, timers and retries; no callback runs after this resolves. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.delay.cancel();
    this.activeWatch?.abort();
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    await this.loop;
    this.settleListed(new AppError('UNAVAILABLE', 'The Pod List was closed before its pods were listed.', undefined, { key: 'operations.pods.watchStopped' }));
    this.setState({ kind: 'stopped' });
    this.subscriptions.clear();
    this.pending.clear();
  }

  /** The environment changed (another context, credentials or connection method): ask for the configuration again and list from scratch. */
  reconnect(): void {
    this.freshConfig = true;
    this.retryNow();
  }

  /** The UI's Retry: skip any backoff wait and list again from scratch, even when live. */
  retryNow(): void {
    this.forceList = true;
    this.delay.cancel();
    this.activeWatch?.abort();
  }

  /**
   * Adds a subscriber. Once the first list has arrived it gets the whole table as a `reset`
   * batch (immediately, if that has already happened), then batches of changes.
   */
  subscribe(subscriber: PodWatchSubscriber): () => void {
    const subscription: Subscription = { subscriber, needsReset: true, outbox: [], draining: false };
    this.subscriptions.add(subscription);
    subscriber.onState?.(this.current);
    if (this.synced) this.sendReset(subscription);
    return () => this.subscriptions.delete(subscription);
  }

  rows(): PodRow[] {
    return [...this.rowsByUid.values()];
  }

  /**
   * Resolves once every pod has been listed (at once, if that has happened): rows() then holds
   * them all, kept up to date by the watch. Rejects with the reason when the cluster cannot be
   * listed: the current problem if the watch is failing now, else the next attempt's failure.
   */
  whenListed(): Promise<void> {
    if (this.listedWhole) return Promise.resolve();
    if (this.stopped) return Promise.reject(new AppError('UNAVAILABLE', 'The Pod List was closed before its pods were listed.', undefined, { key: 'operations.pods.watchStopped' }));
    if (this.problem !== null && (this.current.kind === 'reconnecting' || this.current.kind === 'failed')) return Promise.reject(this.problem);
    return new Promise<void>((resolve, reject) => this.listedWaiters.push({ resolve, reject }));
  }

  state(): PodWatchState {
    return this.current;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    let quickEnds = 0;
    let needsList = true;
    let needsConfig = true;
    let selector = '';
    // a 401 is retried once at once with fresh credentials (an expired or revoked token), keeping the rows
    let credentialsRetried = false;
    while (!this.stopped) {
      try {
        if (needsConfig || this.freshConfig) {
          this.freshConfig = false;
          this.kubeConfig = await this.kubeConfigSource();
          needsConfig = false;
        }
        if (needsList || this.forceList) {
          this.forceList = false;
          selector = await this.readSelector();
          await this.relist(selector);
          needsList = false;
        }
        const startedAt = Date.now();
        const end = await this.watchOnce(selector, () => {
          attempt = 0;
          credentialsRetried = false;
          this.setState({ kind: 'live' });
        });
        if (end !== 'resumable') needsList = true;
        // A watch the server (or a proxy) closes at once, again and again, must not turn into a busy loop.
        quickEnds = Date.now() - startedAt < 1000 ? quickEnds + 1 : 0;
        if (!this.stopped && !this.forceList && quickEnds > 0) await this.delay.wait(backoffDelay(quickEnds, this.backoff));
      } catch (error) {
        if (this.stopped) break;
        attempt += 1;
        needsList = true;
        needsConfig = true;
        const problem = kubernetesError(error, doing('watchPodsOf', { target: `${this.service.namespace}/${this.service.deployment}` }));
        if (problem.code === 'AUTH_FAILED' && !credentialsRetried) {
          credentialsRetried = true;
          attempt -= 1;
          (this.kubeConfig as { credentialsRejected?: () => void } | null)?.credentialsRejected?.();
          continue;
        }
        this.problem = problem;
        if (!this.listedWhole) this.settleListed(problem);
        const retryInMs = backoffDelay(attempt, this.backoff);
        // the reason also as its key, for the window's language
        const reasonText = problem.text === undefined ? {} : { reasonText: problem.text };
        if (permanentCodes.has(problem.code)) this.setState({ kind: 'failed', reason: problem.message, ...reasonText, code: problem.code, retryInMs });
        else this.setState({ kind: 'reconnecting', reason: problem.message, ...reasonText, attempt, retryInMs });
        const probeWith = this.kubeConfig;
        if (linkCodes.has(problem.code) && probeWith !== null) await this.delay.waitOrProbe(retryInMs, () => apiServerAnswers(probeWith, Math.min(this.probeTimeoutMs, 1_500)));
        else await this.delay.wait(retryInMs);
      }
    }
  }

  private config(): KubeConfig {
    if (this.kubeConfig === null) throw new AppError('UNAVAILABLE', 'The cluster connection is not ready yet.', undefined, { key: 'operations.pods.clusterNotReady' });
    return this.kubeConfig;
  }

  private async readSelector(): Promise<string> {
    const apps = this.config().makeApiClient(AppsV1Api);
    const deployment = await apps.readNamespacedDeployment({ name: this.service.deployment, namespace: this.service.namespace });
    return labelSelectorQuery(deployment.spec?.selector);
  }

  private async relist(selector: string): Promise<void> {
    // The first list shows each page as it arrives (a 20,000-pod Deployment has 40); a later one
    // changes the table once it is complete, so rows never vanish and come back mid-list.
    const streaming = !this.synced;
    // Rows need a dozen fields of each pod: read them from the JSON, not client-node's typed models.
    const fresh = new Map<string, PodRow>();
    const version = await forEachListed(
      this.config(),
      `/api/v1/namespaces/${encodeURIComponent(this.service.namespace)}/pods`,
      { labelSelector: selector },
      (pod) => {
        const row = toPodRow(pod as V1Pod);
        if (!row.uid) return;
        fresh.set(row.uid, row);
        if (streaming) this.change(row.uid, row);
      },
      { pageSize: this.pageSize, stopped: () => this.stopped, ...(streaming ? { afterPage: () => this.pageListed() } : {}) },
    );
    if (this.stopped) return;
    for (const uid of this.rowsByUid.keys()) if (!fresh.has(uid)) this.change(uid, null);
    if (!streaming) for (const [uid, row] of fresh) this.change(uid, row);
    this.resourceVersion = version ?? '';
    this.markSynced();
    this.problem = null;
    this.listedWhole = true;
    this.settleListed(null);
  }

  /** Answers whoever waits in whenListed(): listed (null) or the reason it could not be. */
  private settleListed(problem: AppError | null): void {
    const waiters = this.listedWaiters;
    this.listedWaiters = [];
    for (const waiter of waiters) {
      if (problem === null) waiter.resolve();
      else waiter.reject(problem);
    }
  }

  /**
   * A page of the first list is in: it goes out now as one batch (a page is already a batch; its
   * rows waiting for the batch window only delayed the table, the last page's most of all).
   */
  private pageListed(): void {
    if (!this.synced) return this.markSynced();
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flush();
  }

  /** The first rows are known: subscribers get the table so far, then batches of changes. */
  private markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    this.flush();
  }

  private watchOnce(selector: string, onConnected: () => void): Promise<WatchEnd> {
    const kubeConfig = this.config();
    return new Promise<WatchEnd>((resolve, reject) => {
      let finished = false;
      let expired = false;
      let failure: unknown = null;
      let lastHeard = Date.now();
      let probing = false;
      const startedAt = Date.now();
      const path = `/api/v1/namespaces/${encodeURIComponent(this.service.namespace)}/pods`;
      const query = { labelSelector: selector, resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: this.watchTimeoutSeconds };
      const onEvent = (type: string, object: unknown): void => {
        lastHeard = Date.now();
        if (this.stopped) return;
        if (type === 'ERROR') {
          if (kubeStatusCode(object) === 410) expired = true;
          else failure = { body: object, code: kubeStatusCode(object) ?? 500 };
          return;
        }
        const pod = object as V1Pod;
        const version = pod.metadata?.resourceVersion;
        if (version) this.resourceVersion = version;
        if (type === 'BOOKMARK') return;
        const uid = pod.metadata?.uid;
        if (!uid) return;
        this.change(uid, type === 'DELETED' ? null : toPodRow(pod));
      };
      // A half-open link delivers nothing and reports nothing: ask the server when the watch is quiet.
      const idleCheck = setInterval(() => {
        if (finished || probing || Date.now() - lastHeard < this.idleCheckMs) return;
        probing = true;
        void apiServerAnswers(kubeConfig, this.probeTimeoutMs).then((answered) => {
          probing = false;
          if (finished) return;
          if (answered) {
            lastHeard = Date.now();
            return;
          }
          const silentFor = Math.round((Date.now() - lastHeard) / 1000);
          failure = new AppError('UNREACHABLE', `No answer from the API server for ${silentFor} s: the link is silent`, undefined, { key: 'operations.pods.watchSilent', params: { seconds: silentFor } });
          this.activeWatch?.abort();
        });
      }, Math.max(250, Math.round(this.idleCheckMs / 4)));
      const onDone = (error: unknown): void => {
        finished = true;
        clearInterval(idleCheck);
        this.activeWatch = null;
        if (this.stopped) resolve('resumable');
        else if (expired) resolve('expired');
        else if (failure !== null) reject(failure);
        else if (this.forceList) resolve('uncertain');
        // client-node's own 30 s inactivity close: nothing arrived, so nothing is known.
        else if (error && error instanceof Error && error.name === 'TimeoutError') resolve('uncertain');
        else if (error) reject(error);
        // client-node reports a cut connection as a clean close too: only a close at the
        // server's timeoutSeconds is known to be the server's own end of the watch.
        else resolve(Date.now() - startedAt >= this.watchTimeoutSeconds * 900 ? 'resumable' : 'uncertain');
      };
      watchCollection(kubeConfig, path, query, onEvent, onDone).then(
        (controller) => {
          if (finished) return;
          this.activeWatch = controller;
          if (this.stopped || this.forceList) controller.abort();
          else onConnected();
        },
        (error: unknown) => {
          finished = true;
          clearInterval(idleCheck);
          reject(error);
        },
      );
    });
  }

  private change(uid: string, row: PodRow | null): void {
    const before = this.rowsByUid.get(uid);
    if (row === null) {
      if (before === undefined) return;
      this.rowsByUid.delete(uid);
    } else {
      if (before !== undefined && sameRow(before, row)) return;
      this.rowsByUid.set(uid, row);
    }
    this.pending.change(uid, row);
    if (this.synced && this.flushTimer === null && !this.stopped) this.flushTimer = setTimeout(() => this.flush(), this.batchMs);
  }

  private flush(): void {
    this.flushTimer = null;
    if (this.stopped) return;
    const { upserted, removed } = this.pending.take();
    for (const subscription of this.subscriptions) {
      if (subscription.needsReset) this.sendReset(subscription);
      else if (upserted.length > 0 || removed.length > 0) this.deliver(subscription, { reset: false, upserted, removed });
    }
  }

  /** The whole table: a reset batch, then (for a large table) the rest of the rows in pieces, each on a later turn. */
  private sendReset(subscription: Subscription): void {
    subscription.needsReset = false;
    const rows = this.rows();
    for (let from = 0; from === 0 || from < rows.length; from += this.resetPieceRows) {
      subscription.outbox.push({ reset: from === 0, upserted: rows.slice(from, from + this.resetPieceRows), removed: [] });
    }
    this.drain(subscription);
  }

  /** Batches reach a subscriber in order: after any pieces of its reset still waiting. */
  private deliver(subscription: Subscription, changes: PodRowChanges): void {
    subscription.outbox.push(changes);
    this.drain(subscription);
  }

  /** Hands over the next waiting batch now, and the one after it on a later turn of the event loop. */
  private drain(subscription: Subscription): void {
    if (subscription.draining) return;
    if (this.stopped || !this.subscriptions.has(subscription)) {
      subscription.outbox.length = 0;
      return;
    }
    const changes = subscription.outbox.shift();
    if (changes === undefined) return;
    try {
      subscription.subscriber.onChanges(changes);
    } catch (error) {
      console.warn('pod watch subscriber failed:', error instanceof Error ? error.message : error);
    }
    if (subscription.outbox.length === 0) return;
    subscription.draining = true;
    setImmediate(() => {
      subscription.draining = false;
      this.drain(subscription);
    });
  }

  private setState(state: PodWatchState): void {
    if (this.current.kind === state.kind && state.kind === 'live') return;
    this.current = state;
    for (const subscription of this.subscriptions) {
      try {
        subscription.subscriber.onState?.(state);
      } catch (error) {
        console.warn('pod watch subscriber failed:', error instanceof Error ? error.message : error);
      }
    }
  }
}
