import type { Locator, Page } from 'playwright-core';

/** The Log Viewer tab body inside the Operations Modal. */
export class LogViewerTab {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get root(): Locator {
    return this.page.getByTestId('log-viewer-tab');
  }

  /** The rendered log lines (only those in view are in the DOM: the view is virtualized). */
  get lines(): Locator {
    return this.root.locator('[data-testid="log-view"] .line');
  }

  get highlights(): Locator {
    return this.root.locator('[data-testid="log-view"] .hit, [data-testid="log-view"] .current');
  }

  get currentHighlight(): Locator {
    return this.root.locator('[data-testid="log-view"] .current');
  }

  get matchCount(): Locator {
    return this.root.getByTestId('log-match-count');
  }

  get status(): Locator {
    return this.root.getByTestId('log-status');
  }

  get error(): Locator {
    return this.root.getByTestId('log-error');
  }

  get previousToggle(): Locator {
    return this.root.getByTestId('log-previous').locator('input');
  }

  /** Picks a target by the start of its label (pod or container name). */
  async pickTarget(name: string): Promise<void> {
    await this.root.getByTestId('log-target').click();
    await this.page.locator('.n-base-select-option').filter({ hasText: name }).first().click();
  }

  async setPrevious(on: boolean): Promise<void> {
    const box = this.root.getByTestId('log-previous');
    if ((await box.getAttribute('aria-checked')) !== String(on)) await box.click();
  }

  async view(): Promise<void> {
    await this.root.getByTestId('log-view-button').click();
    await this.root.getByTestId('log-view-button').locator('.n-base-loading').waitFor({ state: 'detached' }).catch(() => undefined);
  }

  async search(text: string): Promise<void> {
    await this.root.getByTestId('log-search').locator('input').fill(text);
  }

  async nextMatch(): Promise<void> {
    await this.root.getByTestId('log-match-next').click();
  }

  async clear(): Promise<void> {
    await this.root.getByTestId('log-clear').click();
  }

  async visibleText(): Promise<string> {
    return (await this.lines.allTextContents()).join('\n');
  }
}
