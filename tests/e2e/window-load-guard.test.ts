import { describe, expect, test } from 'vitest';
import type { Route } from 'playwright-core';
import { startBrowserApp } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';

// The window's main code file (content-hashed: index-<hash>.js).
const mainCode = /\/assets\/index-[^/]+\.js$/;

describe("a window whose code fails to load (Chromium's ERR_NETWORK_CHANGED while Docker adds a network, a server away)", () => {
  test('is loaded again by itself and opens', async () => {
    let asked = 0;
    const app = await startBrowserApp({
      beforeOpen: (page) =>
        page.route(mainCode, (route: Route) => {
          asked += 1;
          return asked === 1 ? route.abort('failed') : route.continue();
        }),
    });
    try {
      await new AppShellPage(app.page).waitUntilReady();
      expect(asked).toBe(2);
    } finally {
      await app.close();
    }
  });

  test('says so with Reload after three tries, and Reload opens it once the code can be fetched', async () => {
    let failing = true;
    let asked = 0;
    const app = await startBrowserApp({
      locale: 'en-US',
      beforeOpen: (page) =>
        page.route(mainCode, (route: Route) => {
          asked += 1;
          return failing ? route.abort('failed') : route.continue();
        }),
    });
    try {
      const failed = app.page.getByTestId('load-failed');
      await failed.waitFor();
      // the first load and three more
      expect(asked).toBe(4);
      expect(await failed.textContent()).toContain('could not load the window');
      expect(await failed.getAttribute('role')).toBe('alert');
      failing = false;
      await failed.getByRole('button', { name: 'Reload' }).click();
      await new AppShellPage(app.page).waitUntilReady();
      expect(asked).toBe(5);
    } finally {
      await app.close();
    }
  });
});
