import type { Locator, Page } from 'playwright-core';

/** A page that is not built yet (Service Management, Runtime Environments, Security Analysis). */
export class PlaceholderPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  /** The notice that the page is not available yet, with what it will do. */
  get notice(): Locator {
    return this.page.getByTestId('page-placeholder');
  }

  /** Every button on the page's content (a placeholder should offer none). */
  get buttons(): Locator {
    return this.page.locator('main').getByRole('button');
  }
}
