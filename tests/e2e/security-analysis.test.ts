import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startBrowserApp, type BrowserApp } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { SecurityAnalysisPage } from './pages/security-analysis-page.ts';
import { flawedHandler, startSite, type TestSite } from '../integration/security/test-servers.ts';

describe('Security Analysis page', () => {
  let app: BrowserApp;
  let shell: AppShellPage;
  let site: TestSite;

  beforeAll(async () => {
    site = await startSite(flawedHandler);
    app = await startBrowserApp({ colorScheme: 'light', locale: 'en-US' });
    shell = new AppShellPage(app.page);
    await shell.waitUntilReady();
  });

  afterAll(async () => {
    await app?.close();
    await site?.close();
  });

  test('runs an authorised scan of a local flawed server and shows the findings, worst first', async () => {
    await shell.navigate('security');
    const security = new SecurityAnalysisPage(app.page);
    expect(await security.runButton.isDisabled()).toBe(true);
    await security.startScan(site.url);
    await security.summary.waitFor({ timeout: 30_000 });
    expect(await security.summary.textContent()).toContain('completed');
    await security.finding('paths:/.git/config').waitFor();
    expect(await security.finding('reflection:q').count()).toBe(1);
    expect(await security.findings.first().getAttribute('data-severity')).toBe('high');
    expect(await app.page.locator('main').textContent()).not.toContain('top-secret-session-value');
    await security.historyItems.first().waitFor();
    expect(site.requests.length).toBeLessThanOrEqual(100);
    await shell.screenshot('security-analysis-findings-light-en');
  });
});

describe('Security Analysis page in a Korean window', () => {
  let app: BrowserApp;
  let shell: AppShellPage;
  let site: TestSite;

  beforeAll(async () => {
    site = await startSite(flawedHandler);
    app = await startBrowserApp({ colorScheme: 'light', locale: 'ko-KR' });
    shell = new AppShellPage(app.page);
    await shell.waitUntilReady();
  });

  afterAll(async () => {
    await app?.close();
    await site?.close();
  });

  test('shows each finding\'s title, evidence and remediation in Korean, with the paths and names it found', async () => {
    await shell.navigate('security');
    const security = new SecurityAnalysisPage(app.page);
    await security.startScan(site.url);
    const git = security.finding('paths:/.git/config');
    await git.waitFor({ timeout: 30_000 });
    const row = (await git.textContent()) ?? '';
    expect(row).toContain('/.git/config');
    expect(row).toContain('Git 저장소 설정');
    expect(row).not.toContain('Exposed Git repository configuration');
    const reflection = (await security.finding('reflection:q').textContent()) ?? '';
    expect(reflection).toMatch(/파라미터 "q"/);
    await shell.screenshot('security-analysis-findings-light-ko');
  });
});
