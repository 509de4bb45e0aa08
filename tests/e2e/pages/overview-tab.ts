import type { Locator, Page } from 'playwright-core';

/** The Overview tab body inside the Operations Modal. */
export class OverviewTab {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get root(): Locator {
    return this.page.getByTestId('overview-tab');
  }

  /** desired, updated, ready, available, unavailable. */
  replicas(key: string): Locator {
    return this.root.getByTestId(`overview-replicas-${key}`).locator('.n-statistic-value__content');
  }

  get images(): Locator {
    return this.root.getByTestId('overview-image');
  }

  container(name: string): Locator {
    return this.root.locator(`[data-testid="overview-container"][data-name="${name}"]`);
  }
}
