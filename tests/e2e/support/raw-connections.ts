import { request } from 'node:http';
import WebSocket from 'ws';

export type WebSocketOutcome = { opened: true; socket: WebSocket } | { opened: false; status: number };

export interface RawWebSocketOptions {
  /** Offered as the `kiops-token.<token>` subprotocol, as the renderer does; omitted when undefined. */
  token?: string;
  /** The Origin header; omitted when undefined (as a non-browser process would). */
  origin?: string;
  /** Overrides the Host header (DNS rebinding: a foreign name resolving to 127.0.0.1). */
  host?: string;
}

/**
 * Opens the browser-mode WebSocket the way another local process or web page could, and says
 * whether the server let it in or with which HTTP status it refused the upgrade.
 */
export function openRawWebSocket(origin: string, options: RawWebSocketOptions): Promise<WebSocketOutcome> {
  const url = `${origin.replace(/^http/, 'ws')}/ipc`;
  const protocols = options.token === undefined ? [] : [`kiops-token.${options.token}`];
  const headers: Record<string, string> = {};
  if (options.host !== undefined) headers['host'] = options.host;
  const socket = new WebSocket(url, protocols, {
    headers,
    ...(options.origin === undefined ? {} : { origin: options.origin }),
    handshakeTimeout: 5000,
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ opened: true, socket }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ opened: false, status: response.statusCode ?? 0 });
      response.resume();
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

/** Sends one contract call over an opened socket and returns the envelope it answers. */
export function callOverSocket(socket: WebSocket, name: string, payload: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve((JSON.parse(String(data)) as { envelope: unknown }).envelope));
    socket.send(JSON.stringify({ t: 'call', id: 1, name, payload }));
  });
}

/** A plain HTTP GET with a chosen Host header; answers the status code. */
export function getWithHost(origin: string, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(path, origin);
    const outgoing = request({ hostname: target.hostname, port: target.port, path: target.pathname, headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.once('error', reject);
    outgoing.end();
  });
}
