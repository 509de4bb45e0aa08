import type { ClientMessage, ServerMessage, StreamSink, Transport } from '../../../shared/contract/transport.ts';

interface PendingCall {
  resolve(envelope: unknown): void;
  reject(error: Error): void;
}

/**
 * Browser mode: the same contract over a loopback WebSocket. The per-launch token travels
 * as a WebSocket subprotocol so it never appears in a URL the server could log.
 */
export function createWebSocketTransport(url: string, token: string, onDisconnect: (reason: string) => void = () => {}): Transport {
  let socket: WebSocket | undefined;
  let opening: Promise<WebSocket> | undefined;
  let nextId = 1;
  const calls = new Map<number, PendingCall>();
  const streams = new Map<number, StreamSink>();

  const failAll = (reason: string) => {
    for (const call of calls.values()) call.reject(new Error(reason));
    calls.clear();
    for (const sink of streams.values()) sink.end({ reason: 'error', error: { code: 'DISCONNECTED', message: reason } });
    streams.clear();
  };

  const onMessage = (raw: MessageEvent) => {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(raw.data)) as ServerMessage;
    } catch {
      return;
    }
    if (message.t === 'result') {
      calls.get(message.id)?.resolve(message.envelope);
      calls.delete(message.id);
    } else if (message.t === 'event') {
      streams.get(message.id)?.event(message.payload);
    } else if (message.t === 'end') {
      streams.get(message.id)?.end(message.end);
      streams.delete(message.id);
    }
  };

  const connect = (): Promise<WebSocket> => {
    if (socket?.readyState === WebSocket.OPEN) return Promise.resolve(socket);
    opening ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, [`kiops-token.${token}`]);
      ws.addEventListener('open', () => {
        socket = ws;
        opening = undefined;
        resolve(ws);
      });
      ws.addEventListener('message', onMessage);
      ws.addEventListener('close', () => {
        socket = undefined;
        opening = undefined;
        reject(new Error('the connection to the KIOPS browser-mode server was refused or closed'));
        onDisconnect('The connection to the KIOPS browser-mode server closed.');
        failAll('The connection to the KIOPS browser-mode server closed. Check that `npm run web` is still running, then reload.');
      });
    });
    return opening;
  };

  const send = async (message: ClientMessage) => (await connect()).send(JSON.stringify(message));
  // Connect now, while the window's code is still loading: main starts reading the window's first
  // list when the connection opens (KiopsCore.windowOpening). A refused connection is found and
  // shown by the window's first call, which tries again.
  connect().catch(() => undefined);

  return {
    invoke(name, payload) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        calls.set(id, { resolve, reject });
        send({ t: 'call', id, name, payload }).catch((error: unknown) => {
          calls.delete(id);
          reject(error instanceof Error ? error : new Error(String(error)));
        });
      });
    },
    subscribe(name, payload, sink) {
      const id = nextId++;
      streams.set(id, sink);
      send({ t: 'sub', id, name, payload }).catch((error: unknown) => {
        streams.delete(id);
        sink.end({ reason: 'error', error: { code: 'DISCONNECTED', message: error instanceof Error ? error.message : String(error) } });
      });
      return () => {
        if (!streams.delete(id)) return;
        sink.end({ reason: 'cancelled' });
        void send({ t: 'cancel', id }).catch(() => undefined);
      };
    },
  };
}
