import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { watchCollection } from './raw-watch.ts';

/**
 * The watch reader over a real HTTP connection to a server that writes exactly the bytes a test
 * gives it, in the pieces it gives them: the Kubernetes test API server cannot be made to split an
 * event inside a character or to send a broken line.
 */
let server: Server | undefined;

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<KubeConfig> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return config;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

interface Heard {
  readonly events: Array<[string, unknown]>;
  readonly done: Promise<unknown>;
  readonly controller: Promise<AbortController>;
}

function listen(config: KubeConfig, inactivityMs?: number): Heard {
  const events: Array<[string, unknown]> = [];
  let finished: (error: unknown) => void = () => {};
  const done = new Promise<unknown>((resolve) => (finished = resolve));
  const controller = watchCollection(config, '/api/v1/namespaces/shop/pods', { labelSelector: 'app=web', resourceVersion: '7' }, (type, object) => events.push([type, object]), finished, inactivityMs);
  return { events, done, controller };
}

const event = (type: string, name: string): string => JSON.stringify({ type, object: { metadata: { name, resourceVersion: '8' } } });

describe('reading a watch', () => {
  it('asks for the watch with the query and the credentials, and hands on every event in order, however the bytes are split', async () => {
    const lines = [event('ADDED', 'web-1'), event('MODIFIED', 'wéb-2 ✓'), event('DELETED', 'web-3')];
    const bytes = Buffer.from(lines.join('\n') + '\n');
    let asked: { url?: string; authorization?: string } = {};
    const config = await serve((request, response) => {
      asked = { ...(request.url === undefined ? {} : { url: request.url }), ...(request.headers.authorization === undefined ? {} : { authorization: request.headers.authorization }) };
      response.writeHead(200, { 'content-type': 'application/json' });
      // one byte at a time: events, lines and the multi-byte characters are all split
      let at = 0;
      const next = () => {
        if (at >= bytes.length) return response.end();
        response.write(bytes.subarray(at, at + 1));
        at += 1;
        setImmediate(next);
      };
      next();
    });
    const heard = listen(config);
    expect(await heard.done).toBeNull();
    expect(heard.events.map(([type, object]) => [type, (object as { metadata: { name: string } }).metadata.name])).toEqual([
      ['ADDED', 'web-1'],
      ['MODIFIED', 'wéb-2 ✓'],
      ['DELETED', 'web-3'],
    ]);
    expect(new URL(asked.url ?? '', 'http://x').searchParams.toString()).toBe('watch=true&labelSelector=app%3Dweb&resourceVersion=7');
    expect(asked.authorization).toBe('Bearer secret-token');
  });

  it('ends with an error at a line that is not an event, and hands on nothing after it', async () => {
    const config = await serve((_request, response) => {
      response.writeHead(200);
      response.write(`${event('ADDED', 'web-1')}\n{"type":"MODIFIED","object":{"metad\n${event('ADDED', 'web-2')}\n`);
    });
    const heard = listen(config);
    expect(String(await heard.done)).toContain('not JSON');
    expect(heard.events.map(([type]) => type)).toEqual(['ADDED']);
  });

  it('does not take a line cut off by the connection as an event, and ends with the cut', async () => {
    const config = await serve((_request, response) => {
      response.writeHead(200);
      response.write(`${event('ADDED', 'web-1')}\n{"type":"MODIFIED","object":{"metad`, () => response.socket?.destroy());
    });
    const heard = listen(config);
    expect(String(await heard.done)).toContain('other side closed');
    expect(heard.events.map(([type]) => type)).toEqual(['ADDED']);
  });

  it('throws a refusal with the server status and its Status body, to be explained like any other', async () => {
    const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'pods is forbidden: User "dev" cannot watch resource "pods"', reason: 'Forbidden', code: 403 };
    const config = await serve((_request, response) => {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status));
    });
    const heard = listen(config);
    expect(await heard.done).toEqual({ code: 403, body: status });
    expect(heard.events).toEqual([]);
  });

  it('gives up with a TimeoutError when nothing arrives for the inactivity time, and not while events come', async () => {
    const config = await serve((_request, response) => {
      response.writeHead(200);
      let sent = 0;
      const beat = setInterval(() => {
        if (sent === 10) return clearInterval(beat);
        sent += 1;
        response.write(`${event('MODIFIED', `web-${sent}`)}\n`);
      }, 250);
    });
    // ten events over 2.5 s, each within the 2 s: only the silence after the last ends the watch
    const heard = listen(config, 2_000);
    const error = await heard.done;
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('TimeoutError');
    expect(heard.events).toHaveLength(10);
  });

  it('ends when the caller aborts it, and hands on nothing after', async () => {
    const config = await serve((_request, response) => {
      response.writeHead(200);
      response.write(`${event('ADDED', 'web-1')}\n`);
    });
    const heard = listen(config);
    const controller = await heard.controller;
    await expect.poll(() => heard.events.length).toBe(1);
    controller.abort();
    const error = await heard.done;
    expect((error as Error).name).toBe('AbortError');
  });
});
