import type { WebSocket } from 'ws';
import { z } from 'zod';
import { maxKubeconfigBytes } from '../../../shared/contract/environments.ts';
import { AppError } from '../../../shared/errors.ts';
import { SubscriptionRegistry, type Logger, type Router, type Sender } from '../ipc/router.ts';

/**
 * One browser-mode WebSocket connection. Whatever a connection sends, it can only hurt itself:
 * a bad frame (too large, invalid UTF-8, unmasked, a bad close code) closes that socket and no
 * other; a flood of calls is paced by reading less from the socket (TCP backpressure) instead of
 * queueing without bound; and a peer that stops reading its replies stops being read from, then
 * is dropped.
 */
export interface ConnectionLimits {
  /** Calls running at once; beyond this the socket is paused until one settles. */
  readonly maxInFlightCalls: number;
  /** Live subscriptions; one more ends at once with LIMIT_REACHED. */
  readonly maxSubscriptions: number;
  /** Messages parsed while paused (ws delivers what it already read); past this the connection is closed. */
  readonly maxQueuedMessages: number;
  /** Replies written but not yet flushed to the peer; past the soft mark reading pauses, past the hard mark the peer is dropped. */
  readonly pauseAtUnsentBytes: number;
  readonly dropAtUnsentBytes: number;
}

export const defaultConnectionLimits: ConnectionLimits = {
  maxInFlightCalls: 32,
  maxSubscriptions: 64,
  maxQueuedMessages: 20_000,
  pauseAtUnsentBytes: 8 * 1024 * 1024,
  dropAtUnsentBytes: 64 * 1024 * 1024,
};

/**
 * The largest frame a connection may send: the largest input the contract allows (a kubeconfig
 * text) as JSON, where an escaped character takes up to six bytes, plus the message around it.
 */
export const maxFrameBytes = 6 * maxKubeconfigBytes + 64 * 1024;

const clientMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: z.number().int().nonnegative(), name: z.string().max(200), payload: z.unknown() }),
  z.object({ t: z.literal('sub'), id: z.number().int().nonnegative(), name: z.string().max(200), payload: z.unknown() }),
  z.object({ t: z.literal('cancel'), id: z.number().int().nonnegative() }),
]);
type ClientMessage = z.infer<typeof clientMessageSchema>;

const tooManySubscriptions = (max: number) =>
  new AppError('LIMIT_REACHED', `This window already has ${max} live subscriptions; close a tab or reload before opening more.`, undefined, { key: 'connections.ipc.subscriptionLimit', params: { max } }).toBody();

export function serveIpcConnection(ws: WebSocket, sender: Sender, router: Router, logger: Logger, limits: ConnectionLimits = defaultConnectionLimits): void {
  const subscriptions = new SubscriptionRegistry();
  const queue: ClientMessage[] = [];
  let inFlight = 0;
  let unsentBytes = 0;
  let closed = false;

  // ws closes the socket itself with the right code (1009 too big, 1007 invalid UTF-8, 1002
  // protocol error); without a listener the 'error' event would throw and end the process.
  ws.on('error', (error) => {
    if (!closed) logger.warn(`browser-mode connection closed after a bad frame: ${error.message}`);
  });

  const shouldPause = () => inFlight >= limits.maxInFlightCalls || unsentBytes >= limits.pauseAtUnsentBytes;
  const updateFlow = () => {
    if (closed) return;
    if (shouldPause()) {
      if (!ws.isPaused) ws.pause();
    } else if (ws.isPaused && queue.length === 0) {
      ws.resume();
    }
  };

  const send = (message: unknown) => {
    if (closed || ws.readyState !== ws.OPEN) return;
    const text = JSON.stringify(message);
    const bytes = Buffer.byteLength(text);
    unsentBytes += bytes;
    if (unsentBytes > limits.dropAtUnsentBytes) {
      logger.warn('browser-mode connection dropped: it stopped reading its replies');
      ws.terminate();
      return;
    }
    ws.send(text, () => {
      unsentBytes -= bytes;
      drain();
    });
    updateFlow();
  };

  const handle = (message: ClientMessage) => {
    if (message.t === 'call') {
      const { id } = message;
      inFlight += 1;
      void router
        .invoke(message.name, message.payload, sender)
        .then((envelope) => send({ t: 'result', id, envelope }))
        .finally(() => {
          inFlight -= 1;
          drain();
        });
    } else if (message.t === 'sub') {
      const { id } = message;
      if (subscriptions.size >= limits.maxSubscriptions) {
        send({ t: 'end', id, end: { reason: 'error', error: tooManySubscriptions(limits.maxSubscriptions) } });
        return;
      }
      let endedAlready = false;
      const cancel = router.subscribe(message.name, message.payload, sender, {
        event: (payload) => send({ t: 'event', id, payload }),
        end: (end) => {
          endedAlready = true;
          subscriptions.remove(id);
          send({ t: 'end', id, end });
        },
      });
      // a subscription refused at once (bad input, unknown name) must not take a slot
      if (!endedAlready) subscriptions.add(id, cancel);
    } else {
      subscriptions.cancel(message.id);
    }
  };

  function drain(): void {
    while (!closed && queue.length > 0 && !shouldPause()) handle(queue.shift() as ClientMessage);
    updateFlow();
  }

  ws.on('message', (data, isBinary) => {
    if (closed || ws.readyState !== ws.OPEN) return;
    let parsed: ClientMessage;
    try {
      if (isBinary) throw new Error('binary frame');
      parsed = clientMessageSchema.parse(JSON.parse(String(data)));
    } catch {
      ws.close(1008, 'malformed message');
      return;
    }
    if (queue.length > 0 || shouldPause()) {
      if (queue.length >= limits.maxQueuedMessages) {
        ws.close(1008, 'too many messages at once');
        return;
      }
      queue.push(parsed);
      updateFlow();
      return;
    }
    handle(parsed);
    updateFlow();
  });

  ws.on('close', () => {
    closed = true;
    queue.length = 0;
    subscriptions.cancelAll();
  });
}
