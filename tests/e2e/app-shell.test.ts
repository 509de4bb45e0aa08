import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestEnvironment } from '../support/test-environment.ts';
import { startBrowserApp, type BrowserApp } from './support/browser-app.ts';
import { AppShellPage, pageNames } from './pages/app-shell-page.ts';

const englishHeadings = {
  services: 'Service Management',
  environments: 'Runtime Environments',
  audit: 'Audit Log',
  security: 'Security Analysis',
} as const;

const koreanHeadings = {
  services: '서비스 관리',
  environments: '런타임 환경',
  audit: '감사 로그',
  security: '보안 분석',
} as const;

describe('app shell in browser mode', () => {
  // the app keeps its secrets in the real OS keychain: the test environment's gnome-keyring
  useTestEnvironment('keyring');
  let app: BrowserApp;
  let shell: AppShellPage;

  beforeAll(async () => {
    app = await startBrowserApp({ colorScheme: 'light', locale: 'en-US' });
    shell = new AppShellPage(app.page);
    await shell.waitUntilReady();
  });

  afterAll(async () => {
    await app?.close();
  });

  test('opens on Service Management, in English for an English browser, with the app status in the footer', async () => {
    expect(await shell.heading.textContent()).toBe('Service Management');
    const status = await shell.statusBar.textContent();
    expect(status).toContain('KIOPS Desktop');
    expect(status).toContain('Version 0.0.0-e2e');
    expect(status).toContain('Browser mode');
  });

  test('shows that secrets can be kept in the OS keychain', async () => {
    expect(await shell.keychainStatus.getAttribute('data-level')).toBe('ok');
    expect(await shell.keychainStatus.textContent()).toBe('OS keychain available');
    expect(await shell.auditStatus.getAttribute('data-level')).toBe('ok');
  });

  test.each(pageNames)('navigates to %s and shows its heading', async (name) => {
    await shell.navigate(name);
    expect(await shell.heading.textContent()).toBe(englishHeadings[name]);
    await shell.screenshot(`${name}-light-en`);
  });

  test('Security Analysis is a real page: its heading and the scan form, no placeholder', async () => {
    await shell.navigate('security');
    expect(await shell.heading.textContent()).toBe('Security Analysis');
    expect(await app.page.getByTestId('security-scan-form').isVisible()).toBe(true);
    expect(await app.page.getByTestId('page-placeholder').count()).toBe(0);
  });

  test('follows the OS dark theme, and a manual override wins and survives a reload', async () => {
    await shell.navigate('services');
    expect(await shell.theme()).toBe('light');
    const light = await shell.backgroundColor();

    await app.page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => shell.theme()).toBe('dark');
    const dark = await shell.backgroundColor();
    expect(dark).not.toBe(light);
    await shell.screenshot('services-dark-en');
    await shell.navigate('audit');
    await shell.screenshot('audit-dark-en');

    await shell.chooseTheme('light');
    expect(await shell.theme()).toBe('light');
    expect(await shell.backgroundColor()).toBe(light);

    await app.page.reload();
    await shell.waitUntilReady();
    expect(await shell.theme()).toBe('light');

    await shell.chooseTheme('system');
    expect(await shell.theme()).toBe('dark');
    expect(await shell.backgroundColor()).toBe(dark);
    await app.page.emulateMedia({ colorScheme: 'light' });
  });

  test('switching to Korean shows Korean labels, and the choice is kept', async () => {
    await shell.chooseLanguage('ko');
    for (const name of pageNames) {
      expect(await shell.menuItem(name).textContent()).toBe(koreanHeadings[name]);
      await shell.navigate(name);
      expect(await shell.heading.textContent()).toBe(koreanHeadings[name]);
      await shell.screenshot(`${name}-light-ko`);
    }
    await shell.navigate('security');
    expect(await app.page.getByTestId('security-run').textContent()).toContain('스캔 실행');
    await shell.navigate('services');
    expect(await shell.statusBar.textContent()).toContain('브라우저 모드');
    expect(await app.page.locator('html').getAttribute('lang')).toBe('ko');

    await app.page.reload();
    await shell.waitUntilReady();
    expect(await shell.heading.textContent()).toBe('서비스 관리');

    await shell.chooseLanguage('en');
    expect(await shell.heading.textContent()).toBe('Service Management');
  });

  test('nothing failed in the page along the way', () => {
    expect(app.pageErrors).toEqual([]);
  });

  test('an error nothing else caught becomes a generic notification, never its internal text', async () => {
    await app.page.evaluate("void Promise.reject(new Error('ENOENT /home/alice/.kube/config'))");
    await expect.poll(() => shell.notificationText()).toContain('An unexpected error occurred in this window');
    expect(await shell.notificationText()).not.toContain('ENOENT');
  });
});

// A machine without an OS keychain gets the first-run screen: tests/e2e/first-run-vault.test.ts.

describe('app shell for a Korean browser', () => {
  test('defaults to Korean when the browser language is Korean', async () => {
    const app = await startBrowserApp({ locale: 'ko-KR' });
    try {
      const shell = new AppShellPage(app.page);
      await shell.waitUntilReady();
      expect(await shell.heading.textContent()).toBe('서비스 관리');
      expect(await shell.menuItem('audit').textContent()).toBe('감사 로그');
    } finally {
      await app.close();
    }
  });
});
