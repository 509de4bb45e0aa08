import type { Locator, Page } from 'playwright-core';
import { answerPopConfirm } from './action-confirm.ts';

/** The Scaling panel above the Pod List table: manual scale, HPA, Metrics Server, Image Cache Cleanup. */
export class ScalingPanel {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get root(): Locator {
    return this.page.getByTestId('scaling-panel');
  }

  get lockedNotice(): Locator {
    return this.root.getByTestId('scaling-locked');
  }

  get applyButton(): Locator {
    return this.root.getByTestId('scaling-apply');
  }

  get removeAllButton(): Locator {
    return this.root.getByTestId('scaling-remove-all');
  }

  get hpaSaveButton(): Locator {
    return this.root.getByTestId('hpa-save');
  }

  get hpaState(): Locator {
    return this.root.getByTestId('hpa-state');
  }

  async desiredReplicas(): Promise<string | null> {
    return this.root.getByTestId('scaling-replicas').getAttribute('data-desired');
  }

  /** missing, not-ready or ready. */
  async metricsServerState(): Promise<string | null> {
    return this.root.getByTestId('metrics-server').getAttribute('data-state');
  }

  async isLocked(): Promise<boolean> {
    return (await this.root.getAttribute('data-locked')) === 'true';
  }

  async isDisabled(button: Locator): Promise<boolean> {
    return (await button.getAttribute('data-disabled')) === 'true';
  }

  async applyPodCount(count: number): Promise<void> {
    await this.root.getByTestId('scaling-count').locator('input').fill(String(count));
    await this.applyButton.click();
  }

  /** Opens Remove All Pods; types the name when given (production); returns the dialog for a look before confirming. */
  async openRemoveAll(typed?: string): Promise<Locator> {
    await this.removeAllButton.click();
    const dialog = this.page.getByTestId('scaling-remove-dialog');
    await dialog.waitFor();
    if (typed !== undefined) await dialog.getByTestId('production-confirm-input').locator('input').fill(typed);
    return dialog;
  }

  async confirmRemoveAll(): Promise<void> {
    const dialog = this.page.getByTestId('scaling-remove-dialog');
    await dialog.getByTestId('production-confirm-run').click();
    await dialog.waitFor({ state: 'detached' });
  }

  async installMetricsServer(): Promise<void> {
    await this.root.getByTestId('metrics-server-install').click();
    await this.page.getByTestId('metrics-server-install-confirm').waitFor();
    await this.confirmPopover();
  }

  async setHpa(settings: { min?: number; max?: number; target?: number }): Promise<void> {
    const fields = [['hpa-min', settings.min], ['hpa-max', settings.max], ['hpa-target', settings.target]] as const;
    for (const [testid, value] of fields) if (value !== undefined) await this.root.getByTestId(testid).locator('input').fill(String(value));
    await this.hpaSaveButton.click();
  }

  async deleteHpa(): Promise<void> {
    await this.root.getByTestId('hpa-delete').click();
    await this.confirmPopover();
  }

  private async confirmPopover(): Promise<void> {
    await answerPopConfirm(this.page, 'confirm');
  }
}
