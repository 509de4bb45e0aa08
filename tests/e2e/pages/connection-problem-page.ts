import type { Locator, Page } from 'playwright-core';

/** The full-page explanation shown when the window cannot reach the app (e.g. no browser-mode token). */
export class ConnectionProblemPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get root(): Locator {
    return this.page.getByTestId('connection-problem');
  }

  /** "Trying again in N s.": the window asks again by itself. */
  get retryIn(): Locator {
    return this.page.getByTestId('connection-retry-in');
  }

  get retryButton(): Locator {
    return this.page.getByTestId('connection-retry');
  }

  async retry(): Promise<void> {
    await this.retryButton.click();
  }
}
