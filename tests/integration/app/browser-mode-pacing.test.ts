import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/contract/envelope.ts';
import type { Router } from '../../../electron/main/ipc/router.ts';
import { SenderPolicy } from '../../../electron/main/ipc/sender-policy.ts';
import { startBrowserServer, type BrowserServer } from '../../../electron/main/web/browser-server.ts';
import { defaultConnectionLimits } from '../../../electron/main/web/ipc-connection.ts';
import { IpcClient } from './browser-mode-frames.ts';

// The per-connection cap on calls in flight, seen from the router's side: a router whose calls
// finish only when the test says so shows how many the server lets run at once.

describe('browser mode paces calls per connection', () => {
  const folder = mkdtempSync(join(tmpdir(), 'kiops-web-pacing-'));
  const waiting: (() => void)[] = [];
  let running = 0;
  let mostAtOnce = 0;
  let server: BrowserServer;

  const router: Router = {
    invoke: (name) =>
      new Promise<Envelope<unknown>>((done) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        const finish = () => {
          running -= 1;
          done({ ok: true, value: { name } });
        };
        if (name === 'fast') finish();
        else waiting.push(finish);
      }),
    subscribe: (_name, _payload, _sender, sink) => {
      sink.end({ reason: 'done' });
      return () => {};
    },
  };

  beforeAll(async () => {
    server = await startBrowserServer({ router, senderPolicy: new SenderPolicy(), rendererRoot: folder, logger: { error: () => {}, warn: () => {} } });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('runs at most maxInFlightCalls of one connection at once and answers every call in the end', async () => {
    const endpoint = { port: Number(new URL(server.origin).port), origin: server.origin, token: server.token };
    const flood = await IpcClient.open(endpoint);
    const replies = Array.from({ length: 2_000 }, () => flood.call('slow', {}));
    const cap = defaultConnectionLimits.maxInFlightCalls;
    for (let released = 0; released < 2_000; released += 1) {
      for (let i = 0; i < 1_000 && waiting.length === 0; i += 1) await new Promise((done) => setTimeout(done, 5));
      expect(running).toBeLessThanOrEqual(cap);
      waiting.shift()?.();
    }
    const settled = await Promise.all(replies);
    expect(settled).toHaveLength(2_000);
    expect(mostAtOnce).toBe(cap);

    // another connection is not held up by the first one's cap
    const other = await IpcClient.open(endpoint);
    expect(await other.call('fast', {})).toMatchObject({ ok: true, value: { name: 'fast' } });
    flood.close();
    other.close();
  });
});
