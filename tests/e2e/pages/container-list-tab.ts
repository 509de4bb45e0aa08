import type { Locator, Page } from 'playwright-core';
import { answerPopConfirm } from './action-confirm.ts';

/** The Container List tab body inside the Operations Modal. */
export class ContainerListTab {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get root(): Locator {
    return this.page.getByTestId('container-list-tab');
  }

  row(name: string): Locator {
    return this.root.locator(`[data-testid="container-row"][data-name="${name}"]`);
  }

  /** One cell of a row by column key: state, image, cpu, memory, network, actions. */
  cell(name: string, column: string): Locator {
    return this.row(name).locator(`td[data-col-key="${column}"]`);
  }

  get autoRefresh(): Locator {
    return this.root.getByTestId('container-auto-refresh');
  }

  async autoRefreshOn(): Promise<boolean> {
    return (await this.autoRefresh.getAttribute('aria-checked')) === 'true';
  }

  async refresh(): Promise<void> {
    await this.root.getByTestId('container-refresh').click();
  }

  async restart(name: string, stopTimeoutSeconds: number): Promise<void> {
    await this.row(name).getByTestId('container-restart').click();
    const input = this.page.getByTestId('container-stop-timeout').locator('input');
    await input.fill(String(stopTimeoutSeconds));
    await answerPopConfirm(this.page, 'confirm');
  }
}
