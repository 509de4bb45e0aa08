import type { z } from 'zod';
import {
  contract,
  isCallName,
  isStreamName,
  type CallName,
  type CallOutput,
  type CallParsedInput,
  type StreamEvent,
  type StreamName,
  type StreamParsedInput,
} from '../../../shared/contract/index.ts';
import type { Envelope, StreamEnd } from '../../../shared/contract/envelope.ts';
import { AppError, toErrorBody, type ErrorBody, type MessageText } from '../../../shared/errors.ts';

/** Who is calling: filled in by the transport, judged by the router before anything else runs. */
export interface Sender {
  transport: 'electron' | 'browser' | 'memory';
  /** Electron: the sending frame's URL. Browser mode: the WebSocket's Origin header. */
  origin: string;
  /** Browser mode: whether the per-launch token matched. */
  tokenAccepted?: boolean;
}

export interface CallContext {
  sender: Sender;
}

export interface StreamContext<N extends StreamName> extends CallContext {
  emit(event: StreamEvent<N>): void;
  /** Aborted when the renderer cancels or its window/connection goes away. */
  signal: AbortSignal;
}

export type CallHandlers = {
  [N in CallName]: (input: CallParsedInput<N>, context: CallContext) => Promise<CallOutput<N>> | CallOutput<N>;
};

/** A stream handler runs until its promise settles (done / error) or the signal aborts. */
export type StreamHandlers = {
  [N in StreamName]: (input: StreamParsedInput<N>, context: StreamContext<N>) => Promise<void>;
};

export interface Logger {
  error(message: string, error?: unknown): void;
  warn(message: string): void;
}

export interface RouterOptions {
  calls: CallHandlers;
  streams: StreamHandlers;
  isTrustedSender(sender: Sender): boolean;
  logger: Logger;
  /** Wraps every parsed call (the audit trail's refusal rows for mutating calls). */
  aroundCall?: (name: CallName, input: unknown, run: () => unknown) => Promise<unknown>;
}

export interface StreamSinkFromRouter {
  event(payload: unknown): void;
  end(end: StreamEnd): void;
}

export interface Router {
  invoke(name: unknown, payload: unknown, sender: Sender): Promise<Envelope<unknown>>;
  /** Starts a stream; returns a cancel function. The sink's `end` is called exactly once. */
  subscribe(name: unknown, payload: unknown, sender: Sender, sink: StreamSinkFromRouter): () => void;
}

function invalidInput(name: string, error: z.ZodError): AppError {
  const issues = error.issues.map((issue) => ({ path: issue.path.join('.') || '(payload)', message: issue.message }));
  const first = issues[0];
  const where = first ? ` — ${first.path}: ${first.message}` : '';
  const text: MessageText = first ? { key: 'connections.ipc.malformedAt', params: { call: name, path: first.path, detail: first.message } } : { key: 'connections.ipc.malformed', params: { call: name } };
  return new AppError('INVALID_INPUT', `The request "${name}" was malformed and was not run${where}.`, { issues }, text);
}

const refusedSender = () =>
  new AppError('FORBIDDEN_ORIGIN', 'This request did not come from the KIOPS window and was refused.', undefined, { key: 'connections.ipc.foreignSender' });
const unknownCall = (name: unknown) => {
  const call = typeof name === 'string' ? name.slice(0, 80) : typeof name;
  return new AppError('UNKNOWN_CALL', `"${call}" is not a KIOPS call.`, undefined, { key: 'connections.ipc.unknownCall', params: { call } });
};

/**
 * The one place every request passes: sender check → zod parse → service → output parse.
 * Output is parsed too, so a service can never leak a field the contract does not declare.
 */
export function createRouter(options: RouterOptions): Router {
  const { calls, streams, isTrustedSender, logger } = options;

  const fail = (error: unknown, name: string): { ok: false; error: ErrorBody } => {
    if (!(error instanceof AppError)) logger.error(`call ${name} failed unexpectedly`, error);
    return { ok: false, error: toErrorBody(error) };
  };

  return {
    async invoke(name, payload, sender) {
      if (!isTrustedSender(sender)) return fail(refusedSender(), String(name));
      if (!isCallName(name)) return fail(unknownCall(name), String(name));
      const spec = contract[name];
      const input = spec.input.safeParse(payload);
      if (!input.success) return fail(invalidInput(name, input.error), name);
      try {
        const handler = calls[name] as (input: unknown, context: CallContext) => unknown;
        const run = () => handler(input.data, { sender });
        const value = await (options.aroundCall ? options.aroundCall(name, input.data, run) : run());
        const output = spec.output.safeParse(value);
        if (!output.success) {
          logger.error(`call ${name} produced output outside its contract`, output.error);
          return fail(new AppError('INTERNAL', `The app could not complete "${name}". Try again.`, undefined, { key: 'connections.ipc.notCompleted', params: { call: name } }), name);
        }
        return { ok: true, value: output.data };
      } catch (error) {
        return fail(error, name);
      }
    },

    subscribe(name, payload, sender, sink) {
      let ended = false;
      const end = (result: StreamEnd) => {
        if (ended) return;
        ended = true;
        sink.end(result);
      };
      const endWith = (error: unknown) => end({ reason: 'error', error: fail(error, String(name)).error });

      if (!isTrustedSender(sender)) return endWith(refusedSender()), () => {};
      if (!isStreamName(name)) return endWith(unknownCall(name)), () => {};
      const spec = contract[name];
      const input = spec.input.safeParse(payload);
      if (!input.success) return endWith(invalidInput(name, input.error)), () => {};

      const controller = new AbortController();
      const emit = (event: unknown) => {
        if (ended || controller.signal.aborted) return;
        const parsed = spec.event.safeParse(event);
        if (parsed.success) sink.event(parsed.data);
        else logger.error(`stream ${name} emitted an event outside its contract`, parsed.error);
      };
      const handler = streams[name] as (input: unknown, context: StreamContext<StreamName>) => Promise<void>;
      // started synchronously, so whatever happens right after subscribe() is not missed
      let running: Promise<void>;
      try {
        running = Promise.resolve(handler(input.data, { sender, emit, signal: controller.signal }));
      } catch (error) {
        running = Promise.reject(error);
      }
      running.then(
          () => end(controller.signal.aborted ? { reason: 'cancelled' } : { reason: 'done' }),
          (error: unknown) => (controller.signal.aborted ? end({ reason: 'cancelled' }) : endWith(error)),
        );
      return () => {
        if (ended) return;
        controller.abort();
        end({ reason: 'cancelled' });
      };
    },
  };
}

/** Cancels every live subscription of one window or connection when it goes away. */
export class SubscriptionRegistry {
  private readonly cancels = new Map<number, () => void>();

  add(id: number, cancel: () => void): void {
    this.cancels.get(id)?.();
    this.cancels.set(id, cancel);
  }

  /** Forgets a subscription that ended by itself. */
  remove(id: number): void {
    this.cancels.delete(id);
  }

  cancel(id: number): void {
    const cancel = this.cancels.get(id);
    this.cancels.delete(id);
    cancel?.();
  }

  cancelAll(): void {
    const all = [...this.cancels.values()];
    this.cancels.clear();
    for (const cancel of all) cancel();
  }

  get size(): number {
    return this.cancels.size;
  }
}
