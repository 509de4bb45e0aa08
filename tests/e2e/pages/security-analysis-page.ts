import type { Locator, Page } from 'playwright-core';

/** The Security Analysis page: scan form, progress, findings, history, export. */
export class SecurityAnalysisPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get form(): Locator {
    return this.page.getByTestId('security-scan-form');
  }

  get target(): Locator {
    return this.page.getByTestId('security-target').locator('input');
  }

  get authorised(): Locator {
    return this.page.getByTestId('security-authorised');
  }

  get runButton(): Locator {
    return this.page.getByTestId('security-run');
  }

  get summary(): Locator {
    return this.page.getByTestId('security-summary');
  }

  get findings(): Locator {
    return this.page.getByTestId('security-finding');
  }

  finding(id: string): Locator {
    return this.page.locator(`[data-testid="security-finding"][data-finding-id="${id}"]`);
  }

  get historyItems(): Locator {
    return this.page.getByTestId('security-history-item');
  }

  async startScan(url: string): Promise<void> {
    await this.target.fill(url);
    await this.authorised.click();
    await this.runButton.click();
  }
}
