import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page, Route } from 'playwright-core';
import { useTestEnvironment } from '../support/test-environment.ts';
import { startBrowserApp, type BrowserApp } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';

// Pages other than Service Management, the Operations Modal's tabs and the register dialog are
// chunks of their own, fetched in the background after the first screen and again when shown. A
// chunk the window cannot fetch is asked again three times, then the page says so; Retry reloads.

/** Fails the first `failures` requests for one page's chunk (a server away), then serves it. */
async function failChunk(page: Page, chunk: string, failures: number): Promise<{ requests: () => number }> {
  let requests = 0;
  await page.route(new RegExp(`/assets/${chunk}-[\\w-]+\\.js$`), (route: Route) => {
    requests += 1;
    return requests <= failures ? route.abort('connectionrefused') : route.continue();
  });
  return { requests: () => requests };
}

describe('views loaded when first shown', () => {
  useTestEnvironment('keyring');
  let app: BrowserApp;

  beforeAll(async () => {
    app = await startBrowserApp({ colorScheme: 'light', locale: 'en-US' });
  });

  afterAll(async () => {
    await app?.close();
  });

  test('a page whose code failed to load twice shows once it is fetched again, with no error left on screen', async () => {
    const page = await app.context.newPage();
    try {
      const chunk = await failChunk(page, 'AuditLogPage', 2);
      await page.goto(app.url);
      const shell = new AppShellPage(page);
      await shell.waitUntilReady();
      await shell.navigate('audit');
      expect(await shell.heading.textContent()).toBe('Audit Log');
      expect(chunk.requests()).toBeGreaterThanOrEqual(3);
      expect(await page.getByTestId('error-state').count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  test('a page whose code cannot be fetched says so, and its Retry reloads the window and brings it back', async () => {
    const page = await app.context.newPage();
    try {
      const chunk = await failChunk(page, 'SecurityAnalysisPage', Number.POSITIVE_INFINITY);
      await page.goto(app.url);
      const shell = new AppShellPage(page);
      await shell.waitUntilReady();
      await shell.menuItem('security').click();
      const failed = page.getByTestId('page-security').getByTestId('error-state');
      await failed.waitFor({ timeout: 30_000 });
      expect(await failed.textContent()).toContain('This part of the window could not be loaded');
      // once on its first showing and three times more; the background fetch may have asked too
      expect(chunk.requests()).toBeGreaterThanOrEqual(4);
      expect(await page.getByTestId('page-heading').count()).toBe(0);

      await page.unrouteAll();
      await failed.getByTestId('error-retry').click();
      await shell.waitUntilReady();
      await shell.navigate('security');
      expect(await shell.heading.textContent()).toBe('Security Analysis');
    } finally {
      await page.close();
    }
  });

  test('a window that gets no animation frames (hidden or occluded) still draws its menu, choices and status bar', async () => {
    const page = await app.context.newPage();
    try {
      // Chromium stops requestAnimationFrame for a window the system hides or occludes
      await page.addInitScript(() => {
        (globalThis as unknown as { requestAnimationFrame: () => number }).requestAnimationFrame = () => 0;
      });
      await page.goto(app.url);
      const shell = new AppShellPage(page);
      await shell.waitUntilReady();
      await page.getByTestId('language-select').waitFor();
      await shell.navigate('audit');
      expect(await shell.heading.textContent()).toBe('Audit Log');
    } finally {
      await page.close();
    }
  });
});
