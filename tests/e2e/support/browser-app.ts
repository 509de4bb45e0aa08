import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createKiopsCore, type KiopsCore, type KiopsCoreOptions } from '../../../electron/main/composition.ts';
import { startBrowserServer, type BrowserServer } from '../../../electron/main/web/browser-server.ts';
import { MemorySecretStore } from '../../../electron/main/secrets/memory-secret-store.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { createClient, type KiopsClient } from '../../../shared/contract/client.ts';
import { ensureRendererBuilt } from './renderer-build.ts';
import { CallLog } from './call-log.ts';

const repoRoot = join(import.meta.dirname, '../../..');
export const screenshotDir = join(repoRoot, 'test-output', 'screenshots');
const chromiumPath = process.env['KIOPS_CHROMIUM'] ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface KiopsServer {
  /** The composition root, for tests that act on the app's side (e.g. record audit rows). */
  core: KiopsCore;
  origin: string;
  token: string;
  /** The URL `npm run web` prints: the token rides in the fragment. */
  url: string;
  dataDir: string;
  /** Stops serving (the window loses its connection) while the core keeps running. */
  stopServing(): Promise<void>;
  /** Serves again on the same port with the same token, as if the server came back. */
  resumeServing(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Browser mode in-process, as `npm run web` runs it: the real composition root over a fresh
 * data folder, served on 127.0.0.1 with a per-launch token. Keychain entries go under a
 * service name of their own, never the user's `kiops-desktop` entries, and are removed on close.
 */
export interface KiopsServerOptions {
  dataDir?: string;
  /**
   * `os` (default) uses the real OS keychain under a test service name; `missing` imitates a
   * machine without one (the app must then refuse to keep secrets and say why).
   */
  keychain?: 'os' | 'missing';
  /** Caddy admin addresses for Docker/Podman Domain Settings (a private Caddy in tests). */
  caddyAdminUrls?: readonly string[];
  /**
   * The user's variables and home folder as the core reads them (DOCKER_CONFIG, DOCKER_CONTEXT,
   * ~/.ssh/config, …). By default this process's, with KUBECONFIG naming a file that does not
   * exist, so a kubeconfig on the test machine is never offered on first start.
   */
  host?: KiopsCoreOptions['host'];
}

export async function startKiopsServer(options: KiopsServerOptions = {}): Promise<KiopsServer> {
  const rendererRoot = await ensureRendererBuilt();
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'kiops-e2e-')));
  const core = await createKiopsCore({
    dataDir,
    shell: 'browser',
    version: '0.0.0-e2e',
    keychainService: `kiops-e2e-${randomUUID()}`,
    // an SSH login on a loaded machine can take longer than the product's 8 s probe
    probeTimeoutMs: 20_000,
    ...(options.keychain === 'missing' ? { secrets: new MemorySecretStore({ available: false }) } : {}),
    ...(options.caddyAdminUrls ? { caddyAdminUrls: options.caddyAdminUrls } : {}),
    host: options.host ?? { env: { ...process.env, KUBECONFIG: join(dataDir, 'no-kubeconfig') }, homeDir: homedir(), ...(process.getuid ? { uid: process.getuid() } : {}) },
    logger: { error: (message) => console.error(`[kiops e2e] ${message}`), warn: () => {} },
  });
  let server: BrowserServer | undefined = await startBrowserServer({ router: core.router, senderPolicy: core.senderPolicy, onWindowConnected: core.windowOpening, rendererRoot, port: 0 });
  const { origin, token, url } = server;
  const port = Number(new URL(origin).port);
  return {
    core,
    origin,
    token,
    url,
    dataDir,
    async stopServing() {
      await server?.close();
      server = undefined;
    },
    async resumeServing() {
      server ??= await startBrowserServer({ router: core.router, senderPolicy: core.senderPolicy, onWindowConnected: core.windowOpening, rendererRoot, port, token });
    },
    async close() {
      await server?.close();
      const keys = await core.secrets.list('').catch(() => []);
      for (const key of keys) await core.secrets.delete(key).catch(() => false);
      await core.close();
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

export interface BrowserAppOptions extends KiopsServerOptions {
  /** What the OS reports: the app follows it unless the user overrides the theme. */
  colorScheme?: 'light' | 'dark';
  /** The browser's language, which picks the app's default language. */
  locale?: string;
  /** Open the server's URL without the `#token=…` fragment, as a user who typed the address would. */
  withoutToken?: boolean;
  /** Runs on the page before it opens the app (routes that imitate a failing network). */
  beforeOpen?: (page: Page) => Promise<unknown>;
}

export interface BrowserApp {
  server: KiopsServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  url: string;
  /** Uncaught page errors and console errors (not ERR_NETWORK_CHANGED), for tests that assert a clean run. */
  pageErrors: string[];
  /** The contract calls the page sent and main answered, from the WebSocket frames. */
  calls: CallLog;
  close(): Promise<void>;
}

/** How Chromium logs a request dropped because a network interface came or went. */
const networkChanged = 'Failed to load resource: net::ERR_NETWORK_CHANGED';

/** What each window opened by startBrowserApp has logged, for `describeWindow`. */
const windowLogs = new WeakMap<Page, { readonly errors: readonly string[]; readonly calls: CallLog }>();

/**
 * What a window shows and has said, for a test's failure message: its visible text, the errors
 * it logged, and the calls main has not answered.
 */
export async function describeWindow(page: Page): Promise<string> {
  const text = await page
    .evaluate<string>("document.body.innerText.replace(/\\s+/g, ' ').trim().slice(0, 400)")
    .catch((error: unknown) => `(the page did not answer: ${String(error)})`);
  const log = windowLogs.get(page);
  const errors = log === undefined ? [] : log.errors.slice(-5);
  const unanswered = log?.calls.unanswered() ?? [];
  return [`it shows: "${text}"`, `its errors: ${errors.length === 0 ? 'none' : errors.join(' | ')}`, `calls main has not answered: ${unanswered.length === 0 ? 'none' : unanswered.join(', ')}`].join('; ');
}

/** Starts browser mode and opens it in headless Chromium, ready for page objects. */
export async function startBrowserApp(options: BrowserAppOptions = {}): Promise<BrowserApp> {
  const server = await startKiopsServer(options);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      colorScheme: options.colorScheme ?? 'light',
      locale: options.locale ?? 'en-US',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const calls = new CallLog(page);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // Chromium's own line for a request the network dropped under it (Docker adding an
      // interface on the CI machine): the load guard and the lazy views' retries recover from it,
      // and what the window shows afterwards is what the tests check. Any other error counts.
      if (message.type() === 'error' && !message.text().startsWith(networkChanged)) pageErrors.push(message.text());
    });
    windowLogs.set(page, { errors: pageErrors, calls });
    await options.beforeOpen?.(page);
    const url = options.withoutToken ? `${server.origin}/` : server.url;
    await page.goto(url);
    const opened = browser;
    return {
      server,
      browser: opened,
      context,
      page,
      url,
      pageErrors,
      calls,
      async close() {
        await opened.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}

export async function ensureScreenshotDir(): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  return screenshotDir;
}

/**
 * A contract client the core trusts, for a test's own set-up and checks (adding environments,
 * reading the audit trail): the window's calls stay the window's. `origin` names the test.
 */
export function trustedClient(core: KiopsCore, origin: string): KiopsClient {
  core.senderPolicy.allow((sender) => sender.origin === origin);
  return createClient(createMemoryTransport(core.router, { transport: 'memory', origin }));
}
