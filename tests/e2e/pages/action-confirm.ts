import type { Locator, Page } from 'playwright-core';

/**
 * The one confirmation the API guard shows for a mutating action outside production
 * (ProductionConfirm as a plain confirm: what will happen, on which service, Cancel / Confirm).
 */
export class ActionConfirm {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get dialog(): Locator {
    return this.page.locator('[data-testid="production-confirm"][data-production="false"]');
  }

  /** Waits for the plain confirm and returns it. */
  async opened(): Promise<Locator> {
    await this.dialog.waitFor();
    return this.dialog;
  }

  /** What the dialog says will happen: the action title, the target line and the changed fields. */
  async text(): Promise<string> {
    return (await (await this.opened()).textContent()) ?? '';
  }

  async confirm(): Promise<void> {
    const dialog = await this.opened();
    await dialog.getByTestId('production-confirm-run').click();
    await dialog.waitFor({ state: 'hidden' });
  }

  async cancel(): Promise<void> {
    const dialog = await this.opened();
    await dialog.getByTestId('production-confirm-cancel').click();
    await dialog.waitFor({ state: 'hidden' });
  }
}

/**
 * A button's own pop-confirm (naive-ui NPopconfirm), for actions that asked before the guard
 * existed; the guard then shows nothing more outside production.
 */
export class PopConfirm {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get dialog(): Locator {
    return this.page.locator('.n-popconfirm').last();
  }

  async opened(): Promise<Locator> {
    await this.dialog.waitFor();
    return this.dialog;
  }

  async text(): Promise<string> {
    return (await (await this.opened()).textContent()) ?? '';
  }

  async confirm(): Promise<void> {
    await (await this.opened()).locator('.n-popconfirm__action .n-button--primary-type').click();
    await this.dialog.waitFor({ state: 'hidden' });
  }

  async cancel(): Promise<void> {
    await (await this.opened()).locator('.n-popconfirm__action .n-button').first().click();
    await this.dialog.waitFor({ state: 'hidden' });
  }
}
