import type { Locator, Page } from 'playwright-core';
import type { CallLog } from '../support/call-log.ts';
import type { AppShellPage } from './app-shell-page.ts';
import type { ServiceManagementPage } from './service-management-page.ts';

/** The Operations Modal frame: identity header, connection method, the tabs this operator gets. */
export class OperationsModalPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get root(): Locator {
    return this.page.getByTestId('operations-modal');
  }

  get tabs(): Locator {
    return this.root.locator('.n-tabs-tab');
  }

  get connectionMethodDialog(): Locator {
    return this.page.getByTestId('connection-method-dialog');
  }

  /** The content of one tab (by id: overview, pods, containers, …) while it is in view. */
  placeholder(tab: string): Locator {
    return this.root.locator(`[data-testid="operations-tab-placeholder"][data-tab="${tab}"]`);
  }

  get hiddenTabs(): Locator {
    return this.root.getByTestId('operations-hidden-tab');
  }

  /**
   * Waits for the frame to be described (tabs shown). When it never is, the error says what the
   * window showed instead (no modal, a spinner, an error), so a failure names its cause.
   */
  async waitUntilOpen(): Promise<void> {
    try {
      await this.root.getByTestId('operations-tabs').waitFor();
    } catch (error) {
      const modals = await this.root.count().catch(() => -1);
      const shown = modals > 0 ? await this.root.first().innerText({ timeout: 2_000 }).catch((caught: unknown) => `(unreadable: ${String(caught)})`) : '';
      const spinning = modals > 0 ? await this.root.locator('.n-spin').count().catch(() => -1) : 0;
      throw new Error(`The Operations Modal showed no tabs: ${modals} modal(s) in the page, ${spinning} spinner(s), text ${JSON.stringify(shown.slice(0, 600))}`, { cause: error });
    }
  }

  /**
   * Opens a service's modal from Service Management; on its environment's first open, closes
   * the method dialog that opens by itself.
   */
  async openFrom(shell: AppShellPage, services: ServiceManagementPage, calls: CallLog, service: string): Promise<void> {
    await shell.navigate('services');
    await services.waitForService(service);
    const asked = calls.answered('connections.firstOpen');
    await services.operate(service);
    await this.waitUntilOpen();
    await this.dismissConnectionMethodDialogIfAsked(calls, asked);
  }

  /** The method dialog opens by itself on an environment's first open; closes it unchanged. */
  async dismissConnectionMethodDialog(): Promise<void> {
    await this.connectionMethodDialog.waitFor();
    // naive-ui scales the card in. Clicked while it still grows on a busy machine, the press and
    // the release can land on different elements: no click, and the dialog stays (a 5,000-pod
    // bench waited 30 s on it). Source text: this file is type-checked without the DOM.
    await this.connectionMethodDialog.evaluate('(card) => Promise.all(card.getAnimations({ subtree: true }).map((animation) => animation.finished.catch(() => undefined)))');
    await this.connectionMethodDialog.locator('.n-card-header__close').click();
    await this.connectionMethodDialog.waitFor({ state: 'detached' });
  }

  /**
   * For a modal that may or may not be an environment's first open: once main has answered
   * connections.firstOpen (more than `answeredBefore` answers), the dialog is either there or
   * will not come; closes it if it came.
   */
  async dismissConnectionMethodDialogIfAsked(calls: CallLog, answeredBefore: number): Promise<void> {
    await calls.waitForAnswer(this.page, 'connections.firstOpen', answeredBefore);
    if ((await this.connectionMethodDialog.count()) > 0) await this.dismissConnectionMethodDialog();
  }

  async tabLabels(): Promise<string[]> {
    return (await this.tabs.allTextContents()).map((text) => text.trim());
  }

  /** The body of one tab, whether it is a built feature or its placeholder. */
  tabBody(tab: string): Locator {
    return this.root.locator(`[data-testid="operations-tab-body"][data-tab="${tab}"]`);
  }

  async openTab(label: string, tab: string): Promise<void> {
    await this.tabs.filter({ hasText: label }).click();
    // a tab's code loads the first time it is shown: wait for its content, not a spinner
    await this.tabBody(tab).locator(':scope > :not([data-testid="lazy-view-loading"])').first().waitFor();
  }

  async close(): Promise<void> {
    await this.root.locator('.n-card-header__close').click();
    await this.root.waitFor({ state: 'detached' });
  }
}
