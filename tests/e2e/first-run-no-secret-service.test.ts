import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { launchChromium } from './support/browser-app.ts';
import { ensureRendererBuilt } from './support/renderer-build.ts';
import { AppShellPage } from './pages/app-shell-page.ts';

// `npm run web` on a machine where no Secret Service answers at all: the app's own process is
// started with a D-Bus session address that leads nowhere (no gnome-keyring, no bus), not with
// the test harness's stand-in for a missing keychain. The first-run screen must appear.

const repoRoot = resolve(import.meta.dirname, '../..');

/** Starts browser mode as `npm run web` does, in its own process, and resolves with the URL it prints. */
function startWeb(dataDir: string, rendererRoot: string, env: NodeJS.ProcessEnv): { child: ChildProcess; url: Promise<string>; output: () => string } {
  const child = spawn(process.execPath, [join(repoRoot, 'electron/main/web/cli.ts'), '--port', '0', '--data-dir', dataDir, '--renderer-root', rendererRoot], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = new Promise<string>((resolveUrl, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open: (\S+)/.exec(output);
      if (match?.[1]) resolveUrl(match[1]);
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`browser mode exited (${code}) before it was ready:\n${output}`)));
  });
  return { child, url, output: () => output };
}

describe('first run where no Secret Service is reachable', () => {
  let scratch: string | undefined;
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((done) => child?.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  test('npm run web with a session bus that leads nowhere shows the first-run screen', async () => {
    scratch = await mkdtemp(join(tmpdir(), 'kiops-e2e-no-bus-'));
    const rendererRoot = await ensureRendererBuilt();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // a socket path that does not exist: libsecret finds no bus, so no Secret Service either
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(scratch, 'no-session-bus')}`,
      XDG_RUNTIME_DIR: join(scratch, 'runtime'),
      KUBECONFIG: join(scratch, 'no-kubeconfig'),
      HOME: scratch,
    };
    delete env.GNOME_KEYRING_CONTROL;
    delete env.DISPLAY;
    const web = startWeb(join(scratch, 'data'), rendererRoot, env);
    child = web.child;
    const url = await web.url;

    browser = await launchChromium();
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })).newPage();
    await page.goto(url);
    await page.getByTestId('first-run').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('first-run-missing').textContent()).toContain('No OS keychain answered on this computer');
    const reason = await page.getByTestId('first-run-reason').textContent();
    expect(reason).toMatch(/^What the keychain said: \S/);
    // the keychain's own words: the bus itself could not be reached
    expect(reason).toContain('Could not connect');
    // nothing behind it invites an action that would only fail later
    expect(await page.getByTestId('add-kubernetes').count()).toBe(0);
    await new AppShellPage(page).screenshot('first-run-no-secret-service-en');
    expect(web.output()).toContain('is ready');
  });
});
