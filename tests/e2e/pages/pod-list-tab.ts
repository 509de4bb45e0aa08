import type { Locator, Page } from 'playwright-core';
import { textColour } from '../support/text-colour.ts';
import { answerPopConfirm } from './action-confirm.ts';

/** The Pod List tab body inside the Operations Modal. */
export class PodListTab {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get root(): Locator {
    return this.page.getByTestId('pod-list-tab');
  }

  /** The live list's health banner (absent while live); `data-state` and `data-countdown` say what it shows. */
  get banner(): Locator {
    return this.root.getByTestId('pod-watch-banner');
  }

  get rows(): Locator {
    return this.root.locator('[data-testid="pod-row"]');
  }

  row(pod: string): Locator {
    return this.root.locator(`[data-testid="pod-row"][data-pod="${pod}"]`);
  }

  /** Rows in a status colour family: running, pending, failed, other. */
  rowsWithTone(tone: string): Locator {
    return this.root.locator(`[data-testid="pod-row"][data-tone="${tone}"]`);
  }

  async podNames(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-pod') ?? ''));
  }

  /** The status tag's text colour as the browser computed it (rgb(…)). */
  async statusColour(pod: string): Promise<string> {
    return textColour(this.row(pod).getByTestId('pod-status'));
  }

  async waitForRows(count: number): Promise<void> {
    await this.root.locator(`[data-testid="pod-row"]:nth-child(${count})`).first().waitFor();
  }

  async viewCause(pod: string): Promise<Locator> {
    await this.row(pod).getByTestId('pod-view-cause').click();
    const cause = this.root.locator(`[data-testid="pod-pending-cause"][data-pod="${pod}"]`);
    await cause.getByTestId('pod-cause-finding').first().waitFor();
    return cause;
  }

  /** Opens "Delete all Pending pods", returns the names the confirmation lists, confirms. */
  async deleteAllPending(): Promise<string[]> {
    await this.root.getByTestId('pods-delete-pending').click();
    const confirm = this.page.getByTestId('pods-delete-pending-confirm');
    await confirm.waitFor();
    const names = await confirm.getByTestId('pods-delete-pending-name').allTextContents();
    await answerPopConfirm(this.page, 'confirm');
    return names.map((name) => name.trim());
  }

  get permissionNotice(): Locator {
    return this.root.getByTestId('pods-permission-notice');
  }
}
