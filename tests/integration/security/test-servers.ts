import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP server on 127.0.0.1 that counts what it was asked. */
export interface TestSite {
  readonly url: string;
  readonly requests: Array<{ method: string; path: string }>;
  /** Requests in flight at most at once. */
  readonly peakConcurrency: () => number;
  /** Requests in flight now (received, not yet answered or closed). */
  readonly active: () => number;
  close(): Promise<void>;
}

type Handler = (request: IncomingMessage, response: ServerResponse, path: string) => void;

/** `host`: the address to listen on (default loopback only). */
export async function startSite(handler: Handler, delayMs = 0, host = '127.0.0.1'): Promise<TestSite> {
  const requests: Array<{ method: string; path: string }> = [];
  let active = 0;
  let peak = 0;
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push({ method: request.method ?? '', path });
    active += 1;
    peak = Math.max(peak, active);
    response.on('close', () => (active -= 1));
    if (delayMs > 0) setTimeout(() => handler(request, response, path), delayMs);
    else handler(request, response, path);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    peakConcurrency: () => peak,
    active: () => active,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Every flaw the scan looks for, each on purpose. */
export const flawedHandler: Handler = (request, response, path) => {
  const url = new URL(path, 'http://127.0.0.1');
  response.setHeader('X-Powered-By', 'Express');
  const origin = request.headers.origin;
  if (origin) {
    response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Access-Control-Allow-Credentials', 'true');
  }
  if (request.method === 'OPTIONS') {
    response.writeHead(204, { Allow: 'GET, HEAD, OPTIONS, TRACE, PUT, DELETE' }).end();
    return;
  }
  if (url.pathname === '/') {
    response.setHeader('Set-Cookie', 'session=top-secret-session-value; Path=/');
    const q = url.searchParams.get('q');
    response.writeHead(200, { 'Content-Type': 'text/html' }).end(`<html><body><h1>Shop</h1>${q === null ? '' : `<p>Results for ${q}</p>`}</body></html>`);
    return;
  }
  if (url.pathname === '/.git/config') {
    response.writeHead(200, { 'Content-Type': 'text/plain' }).end('[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n');
    return;
  }
  if (url.pathname === '/files/') {
    response.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><head><title>Index of /files/</title></head><body><h1>Index of /files/</h1><a href="a.txt">a.txt</a></body></html>');
    return;
  }
  if (url.pathname === '/error') {
    response.writeHead(500, { 'Content-Type': 'text/plain' }).end('TypeError: Cannot read properties of undefined\n    at handler (/srv/shop/server.js:42:13)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n');
    return;
  }
  response.writeHead(404, { 'Content-Type': 'text/html' }).end(`<p>Not found: ${escapeHtml(url.pathname)}</p>`);
};

const cleanHeaders = {
  'Content-Security-Policy': "default-src 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

/** Every header set, the page escapes nothing it echoes because it echoes nothing, 404 for the rest. */
export const cleanHandler: Handler = (request, response, path) => {
  const url = new URL(path, 'http://127.0.0.1');
  for (const [name, value] of Object.entries(cleanHeaders)) response.setHeader(name, value);
  if (request.method === 'OPTIONS') {
    response.writeHead(204, { Allow: 'GET, HEAD, OPTIONS' }).end();
    return;
  }
  if (url.pathname === '/') {
    response.setHeader('Set-Cookie', 'session=abc; Path=/; Secure; HttpOnly; SameSite=Strict');
    response.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body><h1>Clean</h1></body></html>');
    return;
  }
  response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
};

/** 200 and the same page for every path: a single-page app's catch-all. */
export const softNotFoundHandler: Handler = (_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><html><head><title>App</title></head><body><div id="app"></div></body></html>');
};
