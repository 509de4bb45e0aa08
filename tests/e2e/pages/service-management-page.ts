import type { Locator, Page } from 'playwright-core';

/** The Service Management page: the service table, its filters, namespace pickers and error banners. */
export class ServiceManagementPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get table(): Locator {
    return this.page.getByTestId('service-table');
  }

  /** Data rows of the table (not the empty-state row). */
  get rows(): Locator {
    return this.table.locator('tbody tr').filter({ has: this.page.getByTestId('service-name') });
  }

  row(name: string): Locator {
    return this.rows.filter({ has: this.page.getByTestId('service-name').getByText(name, { exact: true }) });
  }

  async names(): Promise<string[]> {
    return this.rows.getByTestId('service-name').allTextContents();
  }

  async waitForService(name: string): Promise<void> {
    await this.row(name).first().waitFor();
  }

  /** The table is virtualized: only rows in view exist, so scroll before looking for a far one. */
  async scrollToEnd(): Promise<void> {
    await this.table.getByTestId('virtual-table-view').evaluate((body) => body.scrollTo({ top: body.scrollHeight }));
  }

  async scrollToStart(): Promise<void> {
    await this.table.getByTestId('virtual-table-view').evaluate((body) => body.scrollTo({ top: 0 }));
  }

  async search(text: string): Promise<void> {
    await this.page.getByTestId('service-search').locator('input').fill(text);
  }

  async favourite(name: string): Promise<void> {
    const star = this.row(name).getByTestId('service-favourite');
    await star.click();
    await this.row(name).locator('[data-testid="service-favourite"][data-favourite="true"]').waitFor();
  }

  async operate(name: string): Promise<void> {
    await this.row(name).getByTestId('service-operate').click();
  }

  statusOf(name: string): Locator {
    return this.row(name).getByTestId('service-status');
  }

  get environmentErrors(): Locator {
    return this.page.getByTestId('service-environment-error');
  }

  /** The "last known" tag of a service shown from its unreachable environment's last listing. */
  staleTagOf(name: string): Locator {
    return this.row(name).getByTestId('service-stale');
  }

  /** Seconds until the unreachable environments are tried again by themselves, or null when no countdown shows. */
  async autoRetryCountdown(): Promise<number | null> {
    const countdown = this.page.getByTestId('service-environment-auto-retry').first();
    if ((await countdown.count()) === 0) return null;
    const value = await countdown.getAttribute('data-countdown');
    return value === null ? null : Number(value);
  }

  namespacePicker(environmentName: string): Locator {
    return this.page.locator(`[data-testid="namespace-picker"][data-environment="${environmentName}"]`);
  }

  /** Registers a Kubernetes Deployment by hand through the Register service form. */
  async register(input: { name: string; environment: string; namespace: string; deployment: string }): Promise<void> {
    await this.page.getByTestId('service-register').click();
    const dialog = this.page.getByTestId('register-service-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('register-name').locator('input').fill(input.name);
    await dialog.getByTestId('register-environment').click();
    await this.page.locator('.n-base-select-option').filter({ hasText: input.environment }).click();
    await dialog.getByTestId('register-namespace').locator('input').fill(input.namespace);
    await dialog.getByTestId('register-deployment').locator('input').fill(input.deployment);
    await dialog.getByTestId('register-submit').click();
    await dialog.waitFor({ state: 'detached' });
  }
}
