// P9: Service Management with 200 Deployments in 20 namespaces on 2 clusters, from opening a window
// of the app to every service counted in the table and a row on screen, on the page's own clock (browser mode in Debian's Chromium, the real
// composition root), against `kubectl get deploy -A` on both clusters in parallel. The two test API
// servers run in processes of their own (see kube-server-process.ts).
// Alternating runs after one warm-up of each; medians with min/max.
// Run: node bench/service-list-open.ts   (BENCH_RUNS=5, BENCH_DEPLOYMENTS=200)

import { execFile } from 'node:child_process';
import { startTestEnvironment } from '../scripts/testenv/index.ts';
import { startKubeServerProcess, type KubeServerProcess } from './kube-server-process.ts';
import { AppShellPage } from '../tests/e2e/pages/app-shell-page.ts';
import { startBrowserApp, trustedClient } from '../tests/e2e/support/browser-app.ts';
import { benchResult, median, spread } from './bench-result.ts';

const DEPLOYMENTS = Number(process.env.BENCH_DEPLOYMENTS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CLUSTERS = 2;
const NAMESPACES_PER_CLUSTER = 10;

const environment = await startTestEnvironment({ pieces: ['keyring'], owner: 'test-run' });
const keyring = environment.description.keyring;
if (keyring.status !== 'ready') throw new Error(`bench needs gnome-keyring: ${JSON.stringify(keyring)}`);
Object.assign(process.env, keyring.env);
const clusters: KubeServerProcess[] = [];
try {
  for (let cluster = 0; cluster < CLUSTERS; cluster++) {
    const namespaces = Array.from({ length: NAMESPACES_PER_CLUSTER }, (_, index) => `team-${cluster}-${index}`);
    const deployments = Array.from({ length: DEPLOYMENTS / CLUSTERS }, (_, index) => ({ namespace: namespaces[index % namespaces.length], name: `svc-${cluster}-${index}`, replicas: 1, image: 'nginx:1.27' }));
    clusters.push(await startKubeServerProcess({ nodes: Math.ceil(DEPLOYMENTS / CLUSTERS / 100) + 1, namespaces, deployments }));
  }
  const kubeconfigs = clusters.map((kube) => kube.kubeconfigPath('admin'));

  /** `kubectl get deploy -A` on every cluster at once, as an operator with two terminals would. */
  const kubectl = async (): Promise<number> => {
    const started = performance.now();
    const counts = await Promise.all(
      kubeconfigs.map(
        (kubeconfig) =>
          new Promise<number>((resolve, reject) => {
            execFile('kubectl', ['--kubeconfig', kubeconfig, 'get', 'deploy', '-A', '--no-headers'], { maxBuffer: 64 * 2 ** 20 }, (error, stdout) => {
              if (error) reject(error);
              else resolve(stdout.split('\n').filter((line) => line.includes(' svc-')).length);
            });
          }),
      ),
    );
    const total = counts.reduce((sum, count) => sum + count, 0);
    if (total !== DEPLOYMENTS) throw new Error(`kubectl listed ${total} Deployments`);
    return performance.now() - started;
  };

  const app = await startBrowserApp();
  try {
    const client = trustedClient(app.server.core, 'bench-service-list-open');
    for (const [index, kube] of clusters.entries()) {
      const { environments } = await client.call('environments.addKubernetes', {
        source: { kind: 'text', text: kube.kubeconfigYaml('admin') },
        contexts: [kube.contextName('admin')],
        name: `cluster ${index}`,
      });
      const namespaces = Array.from({ length: NAMESPACES_PER_CLUSTER }, (_, namespace) => `team-${index}-${namespace}`);
      await client.call('catalog.setNamespaces', { environmentId: environments[0]?.id ?? '', namespaces });
    }

    /**
     * A new window of the app until Service Management counts every Deployment, loaded, with a
     * row on screen. Two clocks: the page's own (from the start of its navigation to the moment
     * the rows are in the page, seen by a MutationObserver), which the ratio uses, and the
     * bench's wall time around Playwright's commands, which adds their round trips and polling.
     */
    const openWindow = async (): Promise<{ page: number; wall: number }> => {
      const page = await app.context.newPage();
      await page.addInitScript((count: number) => {
        // the page's globals, typed here: the bench compiles without the DOM library
        type Observer = { observe(target: unknown, options: object): void; disconnect(): void };
        const page = globalThis as unknown as {
          document: { querySelector(selector: string): unknown };
          MutationObserver: new (callback: () => void) => Observer;
          kiopsServicesShownAt?: number;
        };
        const shown = () => page.document.querySelector(`[data-testid="service-table"][data-count="${count}"][data-loading="false"] [data-testid="service-name"]`) !== null;
        const observer = new page.MutationObserver(() => {
          if (!shown()) return;
          page.kiopsServicesShownAt = performance.now();
          observer.disconnect();
        });
        observer.observe(page.document, { subtree: true, childList: true, attributes: true });
      }, DEPLOYMENTS);
      const started = performance.now();
      await page.goto(app.url);
      const shell = new AppShellPage(page);
      await shell.waitUntilReady();
      if ((await page.getByTestId('page-services').count()) === 0) await shell.navigate('services');
      await page.locator(`[data-testid="service-table"][data-count="${DEPLOYMENTS}"][data-loading="false"]`).waitFor({ timeout: 120_000 });
      await page.getByTestId('service-name').first().waitFor();
      const wall = performance.now() - started;
      const shownAt = await page.evaluate(() => (globalThis as unknown as { kiopsServicesShownAt?: number }).kiopsServicesShownAt);
      if (shownAt === undefined) throw new Error('the page never recorded its rows shown');
      await page.close();
      return { page: shownAt, wall };
    };

    await openWindow();
    await kubectl();
    const appMs: number[] = [];
    const wallMs: number[] = [];
    const kubectlMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const opened = await openWindow();
      appMs.push(opened.page);
      wallMs.push(opened.wall);
      kubectlMs.push(await kubectl());
    }
    process.stdout.write(
      [
        `Service Management, ${DEPLOYMENTS} Deployments in ${CLUSTERS * NAMESPACES_PER_CLUSTER} namespaces on ${CLUSTERS} clusters, ${RUNS} alternating runs (medians, min–max):`,
        `  app, new window → every service shown (the page's clock, from its navigation start): ${spread(appMs)}`,
        `  the same around Playwright's commands (goto, waits): ${spread(wallMs)}`,
        `  kubectl get deploy -A on both, in parallel: ${spread(kubectlMs)}`,
        '',
      ].join('\n'),
    );
    benchResult({ row: 'P9', what: `Service Management, ${DEPLOYMENTS} Deployments in ${CLUSTERS * NAMESPACES_PER_CLUSTER} namespaces on ${CLUSTERS} clusters, to rows rendered, vs kubectl get deploy -A on both in parallel`, ratio: median(appMs) / median(kubectlMs), goal: 3, note: `window ${median(appMs).toFixed(0)} ms (${median(wallMs).toFixed(0)} ms around Playwright's commands), kubectl ${median(kubectlMs).toFixed(0)} ms` });
  } finally {
    await app.close();
  }
} finally {
  for (const kube of clusters) await kube.close();
  await environment.stop();
}
