import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startBrowserApp, startKiopsServer, type KiopsServer } from './support/browser-app.ts';
import { callOverSocket, getWithHost, openRawWebSocket } from './support/raw-connections.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { ConnectionProblemPage } from './pages/connection-problem-page.ts';

// Browser mode serves the whole app on 127.0.0.1. Other local processes, other web pages
// and DNS-rebinding pages must not reach its WebSocket; only the tab opened with the printed
// URL may.

describe('browser-mode WebSocket gates', () => {
  let server: KiopsServer;
  let port: string;

  beforeAll(async () => {
    server = await startKiopsServer();
    port = new URL(server.origin).port;
  });

  afterAll(async () => {
    await server?.close();
  });

  test('lets in the app page: right token, own Origin, and answers calls', async () => {
    const outcome = await openRawWebSocket(server.origin, { token: server.token, origin: server.origin });
    expect(outcome.opened).toBe(true);
    if (!outcome.opened) return;
    try {
      expect(await callOverSocket(outcome.socket, 'app.info', {})).toMatchObject({ ok: true, value: { shell: 'browser' } });
    } finally {
      outcome.socket.close();
    }
  });

  test('refuses a connection without the token (401)', async () => {
    expect(await openRawWebSocket(server.origin, { origin: server.origin })).toEqual({ opened: false, status: 401 });
  });

  test('refuses a wrong token, also one of the right length (401)', async () => {
    const sameLength = server.token.replace(/^./, (first) => (first === 'A' ? 'B' : 'A'));
    expect(await openRawWebSocket(server.origin, { token: 'guess', origin: server.origin })).toEqual({ opened: false, status: 401 });
    expect(await openRawWebSocket(server.origin, { token: sameLength, origin: server.origin })).toEqual({ opened: false, status: 401 });
  });

  test('refuses the right token from a foreign Origin or with no Origin (403)', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${Number(port) + 1}`, 'null']) {
      expect(await openRawWebSocket(server.origin, { token: server.token, origin }), origin).toEqual({ opened: false, status: 403 });
    }
    expect(await openRawWebSocket(server.origin, { token: server.token })).toEqual({ opened: false, status: 403 });
  });

  test('refuses a Host that is not 127.0.0.1 or localhost, for the WebSocket and for pages (DNS rebinding)', async () => {
    const foreignHost = `rebind.evil.example:${port}`;
    expect(await openRawWebSocket(server.origin, { token: server.token, origin: server.origin, host: foreignHost })).toEqual({
      opened: false,
      status: 403,
    });
    expect(await getWithHost(server.origin, '/', foreignHost)).toBe(403);
    expect(await getWithHost(server.origin, '/', `127.0.0.1:${port}`)).toBe(200);
    expect(await getWithHost(server.origin, '/', `localhost:${port}`)).toBe(200);
  });
});

describe('the page opened without the token', () => {
  test('explains that it is not connected and how to fix it, with Retry, instead of a blank page', async () => {
    const app = await startBrowserApp({ withoutToken: true });
    try {
      const problem = new ConnectionProblemPage(app.page);
      await problem.root.waitFor();
      const text = (await problem.root.textContent()) ?? '';
      expect(text).toContain('Not connected to KIOPS');
      expect(text).toContain('npm run web');
      expect(text).toContain('one-time access token');
      await new AppShellPage(app.page).screenshot('connection-problem-en');

      // Retry asks again and, still without the token, lands on the same explanation
      await problem.retry();
      await problem.root.waitFor();
      expect(await problem.retryButton.isEnabled()).toBe(true);
      expect(await app.page.getByTestId('status-bar').count()).toBe(0);
      // no retry can bring a missing token: the window does not keep asking by itself
      expect(await problem.retryIn.count()).toBe(0);
    } finally {
      await app.close();
    }
  });

  test('the page opened with the printed URL connects, and the token leaves the address bar', async () => {
    const app = await startBrowserApp();
    try {
      await new AppShellPage(app.page).waitUntilReady();
      expect(app.page.url()).not.toContain(app.server.token);
      expect(app.page.url()).not.toContain('#');
    } finally {
      await app.close();
    }
  });
});
