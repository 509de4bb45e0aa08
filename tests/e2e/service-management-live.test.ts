import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type KiopsClient } from '../../shared/contract/client.ts';
import { compose, EngineContainers } from '../integration/catalog/support.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { type BrowserApp, startBrowserApp, trustedClient } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

const env = useTestEnvironment('keyring', 'docker');

/** The few DOM calls the header check makes in the page (the test code is typed without the DOM library). */
interface BrowserDocument {
  createTreeWalker(root: unknown, whatToShow: number): { nextNode(): { textContent: string | null } | null };
  createRange(): { selectNodeContents(node: unknown): void; getClientRects(): Iterable<{ top: number; height: number }> };
}

describe('Service Management stays live', () => {
  let app: BrowserApp;
  let shell: AppShellPage;
  let services: ServiceManagementPage;
  const containers = new EngineContainers(env.docker.socketPath, env.docker.images.version1.reference);
  const project = `live${Date.now().toString(36)}`;

  beforeAll(async () => {
    await containers.run(`${project}-web-1`, compose(project, 'web'));
    await containers.run(`${project}-db-1`, compose(project, 'db'));
    app = await startBrowserApp();
    const client: KiopsClient = trustedClient(app.server.core, 'service-live-e2e');
    await client.call('environments.addEngine', { name: 'live host', engine: 'docker', socketPath: env.docker.socketPath });
    shell = new AppShellPage(app.page);
    services = new ServiceManagementPage(app.page);
    await shell.waitUntilReady();
  });
  afterAll(async () => {
    await app?.close();
    await containers.removeAll();
  });

  test('a container stopped and started outside the app shows in the row without Refresh', async () => {
    await shell.navigate('services');
    await services.waitForService(project);
    await expect.poll(() => services.statusOf(project).textContent(), { timeout: 60_000 }).toContain('2/2 running');

    await containers.docker.getContainer(`${project}-db-1`).stop();
    await expect.poll(() => services.statusOf(project).textContent(), { timeout: 60_000 }).toContain('1/2 running');

    await containers.docker.getContainer(`${project}-db-1`).start();
    await expect.poll(() => services.statusOf(project).textContent(), { timeout: 60_000 }).toContain('2/2 running');
  });

  test('column headers stay on one line and the Register form shows its own placeholders, never "Please Input"', async () => {
    await shell.navigate('services');
    await services.waitForService(project);
    const headers = services.table.locator('th');
    expect(await headers.count()).toBeGreaterThan(3);
    for (const header of await headers.all()) {
      // The most lines any one piece of header text takes: a wrapped text gives one rectangle per line.
      const lines = await header.evaluate((th) => {
        const doc = th.ownerDocument as unknown as BrowserDocument;
        const walker = doc.createTreeWalker(th, 4 /* NodeFilter.SHOW_TEXT */);
        let most = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if ((node.textContent ?? '').trim() === '') continue;
          const range = doc.createRange();
          range.selectNodeContents(node);
          most = Math.max(most, new Set([...range.getClientRects()].filter((rect) => rect.height > 0).map((rect) => Math.round(rect.top))).size);
        }
        return most;
      });
      expect(lines, (await header.textContent()) ?? '').toBeLessThanOrEqual(1);
    }

    await app.page.getByTestId('service-register').click();
    const dialog = app.page.getByTestId('register-service-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('register-name').locator('input').getAttribute('placeholder')).toBe('As the list shows it, e.g. checkout');
    const text = (await dialog.textContent()) ?? '';
    const placeholders = await dialog.locator('input[placeholder], textarea[placeholder]').evaluateAll((fields) => fields.map((field) => field.getAttribute('placeholder')));
    for (const shown of [text, ...placeholders]) expect(shown).not.toMatch(/Please (Input|Select)/);
    await app.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });
});
