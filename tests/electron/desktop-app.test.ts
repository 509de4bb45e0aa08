import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppShellPage, pageNames } from '../e2e/pages/app-shell-page.ts';
import { ensureAppBuilt } from '../support/electron/app-build.ts';
import { findElectronBinary } from '../support/electron/electron-binary.ts';

// The real desktop app: Electron starts the built main bundle, which loads app://kiops and
// talks over the preload bridge. The same page objects as the browser-mode e2e tests drive it.

const repoRoot = join(import.meta.dirname, '../..');
const binary = findElectronBinary();
if ('missing' in binary) console.log(`test:electron skipped: ${binary.missing}`);

const headings = { services: 'Service Management', environments: 'Runtime Environments', audit: 'Audit Log', security: 'Security Analysis' } as const;

describe.skipIf('missing' in binary)('the desktop app in Electron', () => {
  let app: ElectronApplication;
  let window: Page;
  let shell: AppShellPage;
  let userData = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureAppBuilt();
    userData = mkdtempSync(join(tmpdir(), 'kiops-electron-'));
    if (!('executablePath' in binary)) return;
    app = await electron.launch({
      executablePath: binary.executablePath,
      // Chromium refuses to start its sandbox as root (CI containers); elsewhere it stays on
      args: process.getuid?.() === 0 ? [repoRoot, '--no-sandbox'] : [repoRoot],
      env: { ...process.env, KIOPS_USER_DATA_DIR: userData, LANG: 'en_US.UTF-8' },
    });
    window = await app.firstWindow();
    window.on('pageerror', (error) => pageErrors.push(error.message));
    shell = new AppShellPage(window);
    await shell.waitUntilReady();
  });

  afterAll(async () => {
    await app?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  test('opens the renderer from app://kiops and reaches main through the preload bridge', async () => {
    expect(window.url()).toMatch(/^app:\/\/kiops\//);
    const status = await shell.statusBar.textContent();
    expect(status).toContain('KIOPS Desktop');
    expect(status).toContain('Desktop app');
    expect(await window.evaluate(() => typeof (window as unknown as { kiops?: unknown }).kiops)).toBe('object');
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  });

  test("Electron's Node offers the Node-API version the native modules are built for (10)", async () => {
    // better-sqlite3 13 is compiled with NAPI_VERSION=10; keytar and it load unrebuilt only then
    expect(Number(await app.evaluate(() => process.versions.napi))).toBeGreaterThanOrEqual(10);
  });

  test.each(pageNames)('navigates to %s', async (name) => {
    await shell.navigate(name);
    expect(await shell.heading.textContent()).toBe(headings[name]);
  });

  test('the title bar follows the theme chosen in the app', async () => {
    await shell.chooseTheme('dark');
    await expect.poll(() => app.evaluate(({ nativeTheme }) => nativeTheme.themeSource)).toBe('dark');
    await shell.chooseTheme('light');
    await expect.poll(() => app.evaluate(({ nativeTheme }) => nativeTheme.themeSource)).toBe('light');
  });

  test('the menu offers Edit, View (with reload when unpackaged) and Help', async () => {
    const menu = await app.evaluate(({ Menu }) =>
      Menu.getApplicationMenu()?.items.map((item) => ({ label: item.label, roles: item.submenu?.items.map((sub) => String(sub.role).toLowerCase()) })),
    );
    const edit = menu?.find((item) => item.label === 'Edit');
    expect(edit?.roles).toEqual(expect.arrayContaining(['copy', 'paste', 'selectall']));
    expect(menu?.find((item) => item.label === 'View')?.roles).toEqual(expect.arrayContaining(['reload', 'zoomin', 'togglefullscreen']));
  });

  test('ran without errors in the window', () => {
    expect(pageErrors).toEqual([]);
  });
});
