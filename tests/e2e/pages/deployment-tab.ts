import type { Locator, Page } from 'playwright-core';
import { answerPopConfirm } from './action-confirm.ts';
import { ChangePreviewPanel } from './change-preview.ts';

/** The Deployment Management tab body inside the Operations Modal (Kubernetes and Docker/Podman). */
export class DeploymentTab {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get root(): Locator {
    return this.page.getByTestId('deployment-tab');
  }

  containerImage(container: string): Locator {
    return this.root.locator(`[data-testid="deployment-container"][data-name="${container}"]`).getByTestId('deployment-container-image');
  }

  get revisions(): Locator {
    return this.root.getByTestId('deployment-revision');
  }

  /** [revision, current] per row of the revision history, newest first. */
  async revisionRows(): Promise<[string, boolean][]> {
    const rows = await this.revisions.all();
    return Promise.all(rows.map(async (row) => [(await row.getAttribute('data-revision')) ?? '', (await row.getAttribute('data-current')) === 'true'] as [string, boolean]));
  }

  async rolloutState(): Promise<string | null> {
    return this.root.getByTestId('deployment-rollout').getAttribute('data-state');
  }

  async changeImage(container: string, image: string): Promise<void> {
    const row = this.root.locator(`[data-testid="deployment-container"][data-name="${container}"]`);
    await row.getByTestId('deployment-image-input').locator('input').fill(image);
    await this.confirmThrough(row.getByTestId('deployment-change-image'));
  }

  /** Fills a new image and opens its confirmation; the preview inside it, once answered. */
  async openImageChange(container: string, image: string): Promise<ChangePreviewPanel> {
    const row = this.root.locator(`[data-testid="deployment-container"][data-name="${container}"]`);
    await row.getByTestId('deployment-image-input').locator('input').fill(image);
    await this.openThrough(row.getByTestId('deployment-change-image'));
    const preview = new ChangePreviewPanel(this.page.locator('.n-popconfirm').getByTestId('change-preview').last());
    await preview.answered();
    return preview;
  }

  /** Fills a new image and clicks Change image once: in production that opens the production dialog directly. */
  async requestImageChange(container: string, image: string): Promise<void> {
    const row = this.root.locator(`[data-testid="deployment-container"][data-name="${container}"]`);
    await row.getByTestId('deployment-image-input').locator('input').fill(image);
    // As openThrough: a click a busy machine lost while the row re-rendered opens nothing; click
    // again, as an operator would. A pop-confirm showing instead is left for the test to see.
    const asked = this.page.locator('[data-testid="production-confirm"], .n-popconfirm');
    const deadline = Date.now() + 60_000;
    await row.getByTestId('deployment-change-image').click();
    while (!(await asked.first().isVisible())) {
      if (Date.now() > deadline) throw new Error('neither the production dialog nor a pop-confirm opened');
      await this.page.waitForTimeout(3_000);
      if (!(await asked.first().isVisible())) await row.getByTestId('deployment-change-image').click();
    }
  }

  /** Applies the open confirmation. */
  async confirm(): Promise<void> {
    await this.confirmPopover();
  }

  async rollbackTo(revision: number): Promise<void> {
    await this.confirmThrough(this.root.locator(`[data-testid="deployment-revision"][data-revision="${revision}"]`).getByTestId('deployment-rollback'));
  }

  engineContainer(name: string): Locator {
    return this.root.locator(`[data-testid="deployment-engine-container"][data-name="${name}"]`);
  }

  async updateImage(name: string, image: string): Promise<void> {
    await this.engineContainer(name).getByTestId('deployment-tag-input').locator('input').fill(image);
    // Close the tag suggestions (Escape would close the modal).
    await this.engineContainer(name).getByTestId('deployment-engine-image').click();
    await this.confirmThrough(this.engineContainer(name).getByTestId('deployment-update-image'));
  }

  async isDisabled(testid: string): Promise<boolean> {
    return (await this.root.getByTestId(testid).first().getAttribute('data-disabled')) === 'true';
  }

  /** [container, source, current] per image history row, newest first. */
  async imageHistoryRows(): Promise<[string, string, boolean][]> {
    const rows = await this.root.getByTestId('image-history-row').all();
    return Promise.all(rows.map(async (row) => [(await row.getAttribute('data-container')) ?? '', (await row.getAttribute('data-source')) ?? '', (await row.getAttribute('data-current')) === 'true'] as [string, string, boolean]));
  }

  /** Roll back to the newest history row of `container` recorded on `source`. */
  async rollbackImage(container: string, source: string): Promise<void> {
    await this.confirmThrough(this.root.locator(`[data-testid="image-history-row"][data-container="${container}"][data-source="${source}"]`).first().getByTestId('image-rollback'));
  }

  /**
   * Clicks an action until its pop-up is open, as an operator would: if none is open (it closed
   * because the row re-rendered while a busy machine was drawing it), click again.
   */
  private async openThrough(trigger: Locator): Promise<void> {
    const confirm = this.page.locator('.n-popconfirm__action .n-button--primary-type').last();
    const deadline = Date.now() + 60_000;
    await trigger.click();
    while (!(await confirm.isVisible())) {
      if (Date.now() > deadline) throw new Error('the confirmation pop-up never opened');
      await this.page.waitForTimeout(2_000);
      if ((await this.page.locator('.n-popconfirm').count()) === 0 && !(await confirm.isVisible())) await trigger.click();
    }
  }

  /** Clicks an action and confirms its pop-up (opened as `openThrough` does). */
  private async confirmThrough(trigger: Locator): Promise<void> {
    await this.openThrough(trigger);
    await this.confirmPopover();
  }

  private async confirmPopover(): Promise<void> {
    await this.page.locator('.n-popconfirm__action .n-button--primary-type').last().waitFor();
    await answerPopConfirm(this.page, 'confirm');
  }
}
