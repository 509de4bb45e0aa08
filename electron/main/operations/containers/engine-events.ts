import { StringDecoder } from 'node:string_decoder';
import type { GetEventsOptions } from 'dockerode';
import type { EngineConnection } from './engine.ts';
import { backoffDelay, type Cancel, type RefreshTimers } from './refresh-timers.ts';

/** A container event, reduced to what the list needs. */
export interface ContainerEvent {
  readonly containerId: string;
  readonly name: string;
  readonly action: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Splits the /events body into JSON objects. Chunks are not aligned to objects: one chunk can
 * end mid-object or hold several, with or without newlines between them (engines and proxies
 * differ), so objects are found by brace depth, skipping braces inside strings.
 */
export class JsonObjectSplitter {
  private buffer = '';

  push(text: string): unknown[] {
    this.buffer += text;
    const objects: unknown[] = [];
    let depth = 0;
    let inString = false;
    let escaped = false;
    let start = -1;
    for (let index = 0; index < this.buffer.length; index += 1) {
      const char = this.buffer[index];
      if (inString) {
        if (escaped) escaped = false;
        else if (char === '\\') escaped = true;
        else if (char === '"') inString = false;
        continue;
      }
      if (char === '"') inString = true;
      else if (char === '{') {
        if (depth === 0) start = index;
        depth += 1;
      } else if (char === '}' && depth > 0) {
        depth -= 1;
        if (depth === 0) {
          const text = this.buffer.slice(start, index + 1);
          try {
            objects.push(JSON.parse(text));
          } catch {
            // A malformed object is dropped; the next refresh corrects whatever it described.
          }
        }
      }
    }
    this.buffer = depth === 0 ? '' : this.buffer.slice(start);
    return objects;
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** Reads Docker's and Podman's event shape (`Type`, `Action`, `Actor.ID`, `Actor.Attributes`). */
export function containerEventOf(value: unknown): ContainerEvent | null {
  const event = record(value);
  if (event.Type !== undefined && event.Type !== 'container') return null;
  const actor = record(event.Actor);
  const attributes = record(actor.Attributes);
  const labels: Record<string, string> = {};
  for (const [key, entry] of Object.entries(attributes)) if (typeof entry === 'string') labels[key] = entry;
  const containerId = typeof actor.ID === 'string' ? actor.ID : typeof event.id === 'string' ? event.id : '';
  const action = typeof event.Action === 'string' ? event.Action : typeof event.status === 'string' ? event.status : '';
  if (containerId === '' || action === '') return null;
  return { containerId, name: labels.name ?? '', action, labels };
}

export type FollowerState =
  | { readonly kind: 'following'; readonly reconnected: boolean }
  /** `silent`: the stream was open but the engine stopped answering (a half-open link). */
  | { readonly kind: 'reconnecting'; readonly inMs: number; readonly reason: string; readonly why: PauseReason; readonly silent: boolean };

/** Why the event stream paused, for a key in the window's language (`reason` is main's English). */
export type PauseReason =
  | { readonly kind: 'engineClosed' | 'streamClosed' }
  | { readonly kind: 'linkLost' | 'connectFailed'; readonly detail: string }
  | { readonly kind: 'silent'; readonly seconds: number };

export interface EngineEventFollowerOptions {
  readonly engine: EngineConnection;
  /** Engine-side filters besides type=container. */
  readonly filters: Record<string, string[]>;
  readonly onEvent: (event: ContainerEvent) => void;
  readonly onState: (state: FollowerState) => void;
  readonly timers: RefreshTimers;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /**
   * Events are sparse, so a quiet stream proves nothing: after this long without a byte the
   * engine is pinged, and a ping without an answer closes the stream as silent. Default 5 s.
   */
  readonly idleCheckMs?: number;
  /** How long that ping may take. Default 4 s. */
  readonly probeTimeoutMs?: number;
}

interface EventStream {
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  destroy?: () => void;
}

/**
 * Follows the engine's container events for one service. When the stream ends or fails (engine
 * restarted, SSH link dropped) or goes silent (a frozen link never ends it) it reconnects with
 * exponential backoff capped at 10 s and says so, so the list can show "reconnecting" and
 * refresh fully once it is back (events in between are lost). While waiting it pings the engine
 * every second and reconnects at once when the link answers again.
 */
export class EngineEventFollower {
  private readonly options: EngineEventFollowerOptions;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly idleCheckMs: number;
  private readonly probeTimeoutMs: number;
  private attempt = 0;
  private lastHeard = 0;
  private cancelIdleCheck: Cancel | null = null;
  /** The pending reconnect; a ping answering late for an older one must not connect twice. */
  private retryToken: object | null = null;
  private connectedBefore = false;
  private stopped = true;
  private abort: AbortController | null = null;
  private stream: EventStream | null = null;
  private cancelRetry: Cancel | null = null;

  constructor(options: EngineEventFollowerOptions) {
    this.options = options;
    this.initialMs = options.backoff?.initialMs ?? 1_000;
    this.maxMs = options.backoff?.maxMs ?? 10_000;
    this.idleCheckMs = options.idleCheckMs ?? 5_000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 4_000;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.retryToken = null;
    this.cancelRetry?.();
    this.cancelRetry = null;
    this.closeStream();
  }

  private closeStream(): void {
    this.cancelIdleCheck?.();
    this.cancelIdleCheck = null;
    this.abort?.abort();
    this.abort = null;
    this.stream?.destroy?.();
    this.stream = null;
  }

  private async connect(): Promise<void> {
    this.cancelRetry = null;
    this.retryToken = null;
    const abort = new AbortController();
    this.abort = abort;
    const options: GetEventsOptions & { abortSignal: AbortSignal } = {
      filters: { type: ['container'], ...this.options.filters },
      abortSignal: abort.signal,
    };
    let stream: EventStream;
    try {
      stream = (await this.options.engine.docker.getEvents(options)) as unknown as EventStream;
    } catch (error) {
      // An HTTP answer means the link works: only link failures may be cut short by a ping.
      const answered = typeof (error as { statusCode?: unknown }).statusCode === 'number';
      const detail = error instanceof Error ? error.message : String(error);
      if (!this.stopped && this.abort === abort) this.retry(detail, { kind: 'connectFailed', detail }, { silent: false, probe: !answered });
      return;
    }
    if (this.stopped || this.abort !== abort) {
      stream.destroy?.();
      return;
    }
    this.stream = stream;
    const reconnected = this.connectedBefore;
    this.connectedBefore = true;
    this.attempt = 0;
    const splitter = new JsonObjectSplitter();
    const decoder = new StringDecoder('utf8');
    let ended = false;
    const onEnd = (reason: string, why: PauseReason, silent = false): void => {
      if (ended) return;
      ended = true;
      if (this.stream === stream) this.stream = null;
      if (!this.stopped && this.abort === abort) {
        if (silent) {
          this.closeStream();
          stream.destroy?.();
        }
        this.retry(reason, why, { silent, probe: true });
      }
    };
    this.lastHeard = Date.now();
    this.scheduleIdleCheck(stream, (reason, why) => onEnd(reason, why, true));
    stream.on('data', (chunk) => {
      this.lastHeard = Date.now();
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      for (const value of splitter.push(text)) {
        const event = containerEventOf(value);
        if (event !== null) this.options.onEvent(event);
      }
    });
    stream.on('end', () => onEnd('the engine closed the event stream', { kind: 'engineClosed' }));
    stream.on('close', () => onEnd('the event stream was closed', { kind: 'streamClosed' }));
    // A stream torn down under us (the SSH connection's keepalive gave up on a frozen link, a reset)
    // says only "aborted" or "socket hang up": name what it means for the operator.
    stream.on('error', (error) => onEnd(`the link to the engine was lost (${error.message})`, { kind: 'linkLost', detail: error.message }));
    this.options.onState({ kind: 'following', reconnected });
  }

  private scheduleIdleCheck(stream: EventStream, onSilent: (reason: string, why: PauseReason) => void): void {
    this.cancelIdleCheck = this.options.timers.after(this.idleCheckMs, () => {
      this.cancelIdleCheck = null;
      if (this.stopped || this.stream !== stream) return;
      if (Date.now() - this.lastHeard < this.idleCheckMs) {
        this.scheduleIdleCheck(stream, onSilent);
        return;
      }
      void this.engineAnswers(this.probeTimeoutMs).then((answered) => {
        if (this.stopped || this.stream !== stream) return;
        if (answered) {
          this.lastHeard = Date.now();
          this.scheduleIdleCheck(stream, onSilent);
        } else {
          const seconds = Math.round((Date.now() - this.lastHeard) / 1000);
          onSilent(`no answer from the engine for ${seconds} s: the link is silent`, { kind: 'silent', seconds });
        }
      });
    });
  }

  private async engineAnswers(timeoutMs: number): Promise<boolean> {
    // dockerode's types omit ping's options; it passes abortSignal on to the request. Over SSH
    // the request may still be waiting for a channel, where no signal reaches: race a timer too.
    const docker = this.options.engine.docker as unknown as { ping(options: { abortSignal: AbortSignal }): Promise<unknown> };
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const answer = docker.ping({ abortSignal: AbortSignal.timeout(timeoutMs) }).then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([answer, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private retry(reason: string, why: PauseReason, how: { silent: boolean; probe: boolean }): void {
    const inMs = backoffDelay(this.attempt, this.initialMs, this.maxMs);
    this.attempt += 1;
    this.options.onState({ kind: 'reconnecting', inMs, reason, why, silent: how.silent });
    const due = Date.now() + inMs;
    const token = {};
    this.retryToken = token;
    const tick = (): void => {
      this.cancelRetry = null;
      if (this.stopped || this.retryToken !== token) return;
      const left = due - Date.now();
      if (left <= 0 || !how.probe) {
        void this.connect();
        return;
      }
      // The link may be back long before the backoff is over: a ping that answers ends the wait.
      void this.engineAnswers(Math.min(1_500, this.probeTimeoutMs)).then((answered) => {
        if (this.stopped || this.retryToken !== token) return;
        if (answered) void this.connect();
        else this.cancelRetry = this.options.timers.after(Math.max(0, Math.min(1_000, due - Date.now())), tick);
      });
    };
    this.cancelRetry = this.options.timers.after(how.probe ? Math.min(1_000, inMs) : inMs, tick);
  }
}
