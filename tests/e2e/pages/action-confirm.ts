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
    await this.opened();
    await answerPopConfirm(this.page, 'confirm');
  }

  async cancel(): Promise<void> {
    await this.opened();
    await answerPopConfirm(this.page, 'cancel');
  }
}

/**
 * Clicks the open pop-confirm's Confirm (or Cancel) until the pop-confirm has closed, as an
 * operator would. A pop-up follows its button: when a busy machine re-lays out the panel under it
 * (a refresh, a watch batch) between Playwright's check and its click, the click lands on the
 * pop-up's body and it stays open. A click that reaches the button closes it at once (it is then
 * leaving, and not clicked again), so the action runs once.
 */
export async function answerPopConfirm(page: Page, answer: 'confirm' | 'cancel'): Promise<void> {
  const popConfirm = page.locator('.n-popconfirm').last();
  const actions = popConfirm.locator('.n-popconfirm__action .n-button');
  const button = answer === 'confirm' ? popConfirm.locator('.n-popconfirm__action .n-button--primary-type') : actions.first();
  const deadline = Date.now() + 60_000;
  await button.click();
  for (;;) {
    const closed = await popConfirm.waitFor({ state: 'hidden', timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (closed) return;
    if (Date.now() > deadline) throw new Error(`the pop-confirm stayed open after its ${answer} button was clicked`);
    const leaving = await popConfirm.evaluate((element) => element.className.includes('leave')).catch(() => true);
    if (!leaving) await button.click({ timeout: 5_000 }).catch(() => undefined);
  }
}
