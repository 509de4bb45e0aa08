import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Logger, Router, Sender } from '../ipc/router.ts';
import type { SenderPolicy } from '../ipc/sender-policy.ts';
import { immutableAsset, readRendererFile } from './static-files.ts';
import { contentSecurityPolicy } from './content-security-policy.ts';
import { defaultConnectionLimits, maxFrameBytes, serveIpcConnection, type ConnectionLimits } from './ipc-connection.ts';

export interface BrowserServerOptions {
  router: Router;
  senderPolicy: SenderPolicy;
  rendererRoot: string;
  /** 0 picks a free port. The server always binds 127.0.0.1. */
  port?: number;
  token?: string;
  /** Where bad frames and dropped connections are reported (never to the peer). */
  logger?: Logger;
  /** Tests: smaller per-connection caps. */
  connectionLimits?: ConnectionLimits;
  /** A tab connected with the token: a window is opening (KiopsCore.windowOpening). */
  onWindowConnected?: () => void;
}

export interface BrowserServer {
  origin: string;
  token: string;
  /** The URL to open: the token rides in the fragment, which browsers never send to servers. */
  url: string;
  close(): Promise<void>;
}

const tokenProtocolPrefix = 'kiops-token.';
const consoleLogger: Logger = {
  error: (message, error) => process.stderr.write(`${message}${error instanceof Error ? `: ${error.message}` : ''}\n`),
  warn: (message) => process.stderr.write(`${message}\n`),
};

function sameToken(offered: string, expected: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function offeredToken(request: IncomingMessage): string | undefined {
  const header = request.headers['sec-websocket-protocol'];
  const protocols = (header ?? '').split(',').map((value) => value.trim());
  return protocols.find((value) => value.startsWith(tokenProtocolPrefix))?.slice(tokenProtocolPrefix.length);
}

/** The request's path, or null when its target is not a URL at all (`GET http://[ …` would throw). */
function pathOf(request: IncomingMessage, origin: string): string | null {
  try {
    return new URL(request.url ?? '/', origin).pathname;
  } catch {
    return null;
  }
}

/**
 * Browser mode: the same composition root served to a real browser on loopback. Three gates:
 * Host must be our own (DNS rebinding), Origin must be our own (other sites), and the
 * per-launch token must match (other local processes and tabs).
 */
export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const http: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const revokeSenderRule = options.senderPolicy.allow(
    (sender: Sender) => sender.transport === 'browser' && sender.tokenAccepted === true && sender.origin === origin,
  );

  http.on('request', (request, response) => {
    if (!allowedHosts.has(request.headers.host ?? '') || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden');
      return;
    }
    const path = pathOf(request, origin);
    if (path === null) {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('Bad request');
      return;
    }
    void readRendererFile(options.rendererRoot, path).then((file) => {
      if (!file) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
        return;
      }
      response.writeHead(200, {
        'content-type': file.contentType,
        'content-security-policy': contentSecurityPolicy({ connectSrc: `ws://127.0.0.1:${port}` }),
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': immutableAsset(path) ? 'public, max-age=31536000, immutable' : 'no-store',
      });
      response.end(request.method === 'HEAD' ? undefined : file.body);
    }).catch(() => response.destroy());
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: maxFrameBytes,
    handleProtocols: (protocols) => [...protocols].find((value) => value.startsWith(tokenProtocolPrefix)) ?? false,
  });

  http.on('upgrade', (request, socket, head) => {
    // a peer that resets mid-handshake must not take the process down; ws adds its own listener once upgraded
    socket.on('error', () => socket.destroy());
    const refuse = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (pathOf(request, origin) !== '/ipc') return refuse(404, 'Not Found');
    if (!allowedHosts.has(request.headers.host ?? '')) return refuse(403, 'Forbidden');
    if (request.headers.origin !== origin) return refuse(403, 'Forbidden');
    const offered = offeredToken(request);
    if (!offered || !sameToken(offered, token)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(request, socket, head, (ws) => {
      serveConnection(ws, { transport: 'browser', origin, tokenAccepted: true });
      options.onWindowConnected?.();
    });
  });

  const logger = options.logger ?? consoleLogger;
  const limits = options.connectionLimits ?? defaultConnectionLimits;
  function serveConnection(ws: Parameters<typeof serveIpcConnection>[0], sender: Sender) {
    serveIpcConnection(ws, sender, options.router, logger, limits);
  }

  return {
    origin,
    token,
    url: `${origin}/#token=${token}`,
    async close() {
      revokeSenderRule();
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
