import type { Download, Locator, Page } from 'playwright-core';
import { textColour } from '../support/text-colour.ts';

/** The Audit Log page: rows, filters, paging, chain verification, export. */
export class AuditLogPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get table(): Locator {
    return this.page.getByTestId('audit-table');
  }

  get rows(): Locator {
    return this.page.getByTestId('audit-row');
  }

  row(seq: number): Locator {
    return this.page.locator(`[data-testid="audit-row"][data-seq="${seq}"]`);
  }

  /** The error shown in place of the table when the trail cannot be read. */
  get errorState(): Locator {
    return this.page.getByTestId('error-state');
  }

  get errorMessage(): Locator {
    return this.page.getByTestId('error-message');
  }

  get retryButton(): Locator {
    return this.page.getByTestId('error-retry');
  }

  get verification(): Locator {
    return this.page.getByTestId('audit-verification');
  }

  get verifyButton(): Locator {
    return this.page.getByTestId('audit-verify');
  }

  get exportButton(): Locator {
    return this.page.getByTestId('audit-export');
  }

  get loadMoreButton(): Locator {
    return this.page.getByTestId('audit-load-more');
  }

  get liveIndicator(): Locator {
    return this.page.getByTestId('audit-live');
  }

  /** Under a broken-chain result: the reason and the Acknowledge button. */
  async acknowledge(reason: string): Promise<void> {
    await this.page.getByTestId('audit-acknowledge-reason').locator('input').fill(reason);
    await this.page.getByTestId('audit-acknowledge').click();
  }

  async retry(): Promise<void> {
    await this.retryButton.click();
  }

  async verifyChain(): Promise<void> {
    await this.verifyButton.click();
    await this.verification.waitFor();
  }

  async exportTrail(): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.exportButton.click();
    return download;
  }

  /** Types into the action filter; it applies as you type (no Enter). */
  async filterByAction(action: string): Promise<void> {
    await this.page.getByTestId('audit-filter-action').locator('input').fill(action);
  }

  /** Types into the search box key by key, as a user does; it applies as you type. */
  async typeText(text: string): Promise<void> {
    const input = this.page.getByTestId('audit-filter-text').locator('input');
    await input.fill('');
    await input.pressSequentially(text);
  }

  async filterByActor(actor: string): Promise<void> {
    await this.page.getByTestId('audit-filter-actor').locator('input').fill(actor);
  }

  async filterByEnvironment(environmentId: string): Promise<void> {
    await this.page.getByTestId('audit-filter-environment').click();
    const option = this.page.locator(`.n-base-select-option.environment-option-${environmentId}`);
    await option.click();
    await option.waitFor({ state: 'hidden' });
  }

  async clearEnvironmentFilter(): Promise<void> {
    const select = this.page.getByTestId('audit-filter-environment');
    await select.hover();
    await select.locator('.n-base-clear').click();
  }

  /** The seqs of the rows shown, top to bottom. */
  async shownSeqs(): Promise<number[]> {
    return this.rows.evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-seq'))));
  }

  /** The row detail drawer. */
  get detail(): Locator {
    return this.page.getByTestId('audit-detail');
  }

  detailField(name: string): Locator {
    return this.detail.getByTestId(`audit-detail-${name}`);
  }

  async openRow(seq: number): Promise<void> {
    await this.row(seq).locator('td').first().click();
    await this.detail.waitFor();
  }

  async closeDetail(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.detail.waitFor({ state: 'detached' });
  }

  async filterByOutcome(outcome: 'success' | 'failure' | 'refused'): Promise<void> {
    await this.page.getByTestId('audit-filter-outcome').click();
    const option = this.page.locator(`.n-base-select-option.outcome-option-${outcome}`);
    await option.click();
    await option.waitFor({ state: 'hidden' });
  }

  async clearOutcomeFilter(): Promise<void> {
    const select = this.page.getByTestId('audit-filter-outcome');
    await select.hover();
    await select.locator('.n-base-clear').click();
  }

  /** Scrolls the (virtual) table to its last row with the mouse wheel, as a user does. */
  async scrollTableToEnd(): Promise<void> {
    await this.table.getByTestId('virtual-table-view').hover();
    for (let step = 0; step < 40; step += 1) await this.page.mouse.wheel(0, 2000);
  }

  /** The outcome tag of a row, as shown (its data-outcome carries the untranslated value). */
  outcomeTag(seq: number): Locator {
    return this.row(seq).locator('[data-outcome]');
  }

  /** The colour a row's outcome tag's text is drawn in (rgb(…)). */
  async outcomeColour(seq: number): Promise<string> {
    return textColour(this.outcomeTag(seq));
  }

  /** Points at a cell's text (of `column`: actor, environment, action, target, error) and waits for the table's tooltip. */
  async hoverCell(seq: number, column: number): Promise<Locator> {
    await this.row(seq).locator('td').nth(column).locator('span').first().hover();
    const tooltip = this.page.locator('.n-tooltip');
    await tooltip.waitFor();
    return tooltip;
  }
}
