import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Router } from '../../../electron/main/ipc/router.ts';
import { SenderPolicy } from '../../../electron/main/ipc/sender-policy.ts';
import { startBrowserServer, type BrowserServer } from '../../../electron/main/web/browser-server.ts';

// Browser mode serves the built window. A file whose name carries its content's hash may be kept
// by the browser for good (a second window then loads no byte of code again); the page itself,
// and anything whose name does not change with its content, is asked for every time.

describe('browser mode lets the browser keep the build files named by their content', () => {
  const folder = mkdtempSync(join(tmpdir(), 'kiops-web-caching-'));
  let server: BrowserServer;
  const router: Router = {
    invoke: () => Promise.resolve({ ok: true, value: null }),
    subscribe: (_name, _payload, _sender, sink) => {
      sink.end({ reason: 'done' });
      return () => {};
    },
  };

  beforeAll(async () => {
    mkdirSync(join(folder, 'assets'));
    writeFileSync(join(folder, 'index.html'), '<!doctype html><title>KIOPS</title>');
    writeFileSync(join(folder, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    for (const name of ['index-BzB013sN.js', 'Add-Dtcx-Xcl.js', 'index-Dd3cEKb_.css', 'notes.js', 'index.js']) writeFileSync(join(folder, 'assets', name), '/* built */');
    server = await startBrowserServer({ router, senderPolicy: new SenderPolicy(), rendererRoot: folder, logger: { error: () => {}, warn: () => {} } });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const cacheControl = async (path: string, method = 'GET'): Promise<{ status: number; cacheControl: string | null; csp: string | null }> => {
    const response = await fetch(`${server.origin}${path}`, { method });
    await response.arrayBuffer();
    return { status: response.status, cacheControl: response.headers.get('cache-control'), csp: response.headers.get('content-security-policy') };
  };

  it('keeps hashed scripts and styles for good, with the same security headers', async () => {
    for (const path of ['/assets/index-BzB013sN.js', '/assets/Add-Dtcx-Xcl.js', '/assets/index-Dd3cEKb_.css']) {
      for (const method of ['GET', 'HEAD']) {
        const answer = await cacheControl(path, method);
        expect(answer, `${method} ${path}`).toMatchObject({ status: 200, cacheControl: 'public, max-age=31536000, immutable' });
        expect(answer.csp, path).toContain("default-src 'self'");
      }
    }
  });

  it('asks again every time for the page, the icon and files whose name carries no hash', async () => {
    for (const path of ['/', '/index.html', '/favicon.svg', '/assets/notes.js', '/assets/index.js']) {
      const answer = await cacheControl(path);
      expect(answer, path).toMatchObject({ status: 200, cacheControl: 'no-store' });
    }
  });

  it('lets no browser keep a file it does not have', async () => {
    const answer = await cacheControl('/assets/missing-AAAAAAAA.js');
    expect(answer.status).toBe(404);
    expect(answer.cacheControl ?? '').not.toContain('immutable');
  });
});
