// The set-up the browser-mode benches share: a private gnome-keyring (the app keeps kubeconfig
// credentials in the keychain), the Kubernetes test API server (in a process of its own) with one
// Deployment of `pods` running pods, and browser mode in Chromium with that cluster added, on
// Service Management.

import { startTestEnvironment } from '../scripts/testenv/index.ts';
import { startKubeServerProcess, type KubeServerProcess } from './kube-server-process.ts';
import { AppShellPage } from '../tests/e2e/pages/app-shell-page.ts';
import { OperationsModalPage } from '../tests/e2e/pages/operations-modal-page.ts';
import { ServiceManagementPage } from '../tests/e2e/pages/service-management-page.ts';
import { startBrowserApp, type BrowserApp, trustedClient } from '../tests/e2e/support/browser-app.ts';
import type { Locator, Page } from 'playwright-core';

export interface KubeBenchApp {
  readonly kube: KubeServerProcess;
  readonly app: BrowserApp;
  /** Opens the Operations Modal of `deployment` in `page` (the app's first window by default). */
  operate(deployment: string, page?: Page): Promise<OperationsModalPage>;
  /** Another window of the same app, on Service Management. */
  newWindow(): Promise<Page>;
  close(): Promise<void>;
}

export async function startKubeBenchApp(deployment: string, pods: number): Promise<KubeBenchApp> {
  const environment = await startTestEnvironment({ pieces: ['keyring'], owner: 'test-run' });
  let kube: KubeServerProcess | undefined;
  let app: BrowserApp | undefined;
  // A start that fails half-way (a 20,000-pod server that does not come up, Chromium that does not
  // launch) stops what it had started: a bench leaves no API server process or keyring behind.
  const stopStarted = async (): Promise<void> => {
    await app?.close().catch(() => undefined);
    await kube?.close().catch(() => undefined);
    await environment.stop();
  };
  try {
    const keyring = environment.description.keyring;
    if (keyring.status !== 'ready') throw new Error(`bench needs gnome-keyring: ${JSON.stringify(keyring)}`);
    Object.assign(process.env, keyring.env);
    // the scheduler keeps Kubernetes' 110 pods per node
    kube = await startKubeServerProcess({ nodes: Math.ceil(pods / 100) + 1, deployments: [{ name: deployment, replicas: pods, image: 'nginx:1.27' }] });
    app = await startBrowserApp();
    await trustedClient(app.server.core, 'bench-kube-app').call('environments.addKubernetes', {
      source: { kind: 'text', text: kube.kubeconfigYaml('developer') },
      contexts: [kube.contextName('developer')],
      name: 'bench cluster',
    });
    await ready(app.page, deployment);
  } catch (error) {
    await stopStarted();
    throw error;
  }
  const started = { kube, app };
  let firstOpen = true;
  return {
    ...started,
    async operate(name, page = started.app.page) {
      const modal = new OperationsModalPage(page);
      await new ServiceManagementPage(page).operate(name);
      await modal.waitUntilOpen();
      // the connection method is asked on the environment's first open
      if (firstOpen) {
        firstOpen = false;
        await modal.dismissConnectionMethodDialog();
      }
      return modal;
    },
    async newWindow() {
      const page = await started.app.context.newPage();
      await page.goto(started.app.url);
      await ready(page, deployment);
      return page;
    },
    close: stopStarted,
  };
}

/** A window of the app on Service Management, with `deployment` listed. */
async function ready(page: Page, deployment: string): Promise<void> {
  const shell = new AppShellPage(page);
  await shell.waitUntilReady();
  await shell.navigate('services');
  await new ServiceManagementPage(page).waitForService(deployment);
}

/**
 * Opens `deployment`'s Operations Modal in the app's first window and clicks its Pod List tab,
 * timed on the page's clock until `pods` are counted and rows show (clickTimed, podListShown).
 */
export async function openPodListTimed(bench: KubeBenchApp, deployment: string, pods: number): Promise<{ modal: OperationsModalPage; timed: { firstRowMs: number; shownMs: number } }> {
  const modal = await bench.operate(deployment);
  const tab = modal.tabs.filter({ hasText: 'Pod List' });
  await tab.waitFor();
  await clickTimed(bench.app.page, tab);
  const timed = await podListShown(bench.app.page, pods);
  if (timed === undefined) throw new Error('the page did not record the click and the rows');
  return { modal, timed };
}

type PageClock = { __kiopsClickAt?: number; __kiopsFirstRowAt?: number; __kiopsShownAt?: number };
type PageDocument = { querySelector(selector: string): { textContent: string | null } | null; addEventListener(type: string, listener: () => void, options: object): void };

/**
 * Clicks `target` and returns the page's clock at the click event: the timings below are taken in
 * the page from there, so Playwright's own work before a click (actionability checks, round trips
 * to the browser) is not counted as the app's.
 */
export async function clickTimed(page: Page, target: Locator): Promise<void> {
  await page.evaluate(() => {
    const clock = globalThis as unknown as PageClock;
    delete clock.__kiopsClickAt;
    delete clock.__kiopsFirstRowAt;
    delete clock.__kiopsShownAt;
    (globalThis as unknown as { document: PageDocument }).document.addEventListener('click', () => (clock.__kiopsClickAt = performance.now()), { capture: true, once: true });
  });
  await target.click();
}

/**
 * Waits, checking every frame, until the Pod List in `page` counts `pods` and shows rows. After
 * `clickTimed`, returns the milliseconds from the click to the first frame with a row and to the
 * first frame with every pod counted, on the page's clock.
 */
export async function podListShown(page: Page, pods: number): Promise<{ firstRowMs: number; shownMs: number } | undefined> {
  await page.waitForFunction(
    (count) => {
      const clock = globalThis as unknown as PageClock;
      const root = (globalThis as unknown as { document: PageDocument }).document;
      const hasRow = root.querySelector('[data-testid="pod-row"]') !== null;
      if (hasRow) clock.__kiopsFirstRowAt ??= performance.now();
      const counted = Number((root.querySelector('[data-testid="pod-count"]')?.textContent ?? '').replace(/\D/g, ''));
      const shown = counted === count && hasRow;
      if (shown) clock.__kiopsShownAt = performance.now();
      return shown;
    },
    pods,
    { timeout: 120_000, polling: 'raf' },
  );
  return page.evaluate(() => {
    const clock = globalThis as unknown as PageClock;
    const { __kiopsClickAt: clickAt, __kiopsFirstRowAt: firstRowAt, __kiopsShownAt: shownAt } = clock;
    return clickAt === undefined || firstRowAt === undefined || shownAt === undefined ? undefined : { firstRowMs: firstRowAt - clickAt, shownMs: shownAt - clickAt };
  });
}
