import type { Locator, Page } from 'playwright-core';
import { ChangePreviewPanel } from './change-preview.ts';
import { ActionConfirm } from './action-confirm.ts';

/** The Config/Secret tab body inside the Operations Modal. */
export class ConfigTab {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get root(): Locator {
    return this.page.getByTestId('config-tab');
  }

  object(kind: 'configmap' | 'secret', name: string): Locator {
    return this.root.locator(`[data-testid="config-object"][data-kind="${kind}"][data-name="${name}"]`);
  }

  async objectNames(): Promise<string[]> {
    return this.root.getByTestId('config-object').evaluateAll((items) => items.map((item) => `${item.getAttribute('data-kind')}/${item.getAttribute('data-name')}`));
  }

  async open(kind: 'configmap' | 'secret', name: string): Promise<void> {
    await this.object(kind, name).click();
    await this.root.locator(`[data-testid="config-detail"][data-name="${name}"]`).waitFor();
  }

  row(key: string): Locator {
    return this.root.locator(`[data-testid="config-key-row"][data-key="${key}"]`);
  }

  value(key: string): Locator {
    return this.row(key).getByTestId('config-key-value-cell');
  }

  async editKey(key: string, value: string): Promise<void> {
    await this.row(key).getByTestId('config-edit').click();
    const editor = this.root.getByTestId('config-key-editor');
    await editor.getByTestId('config-key-value').locator('textarea, input').fill(value);
    await editor.getByTestId('config-key-save').click();
    await new ActionConfirm(this.page).confirm();
    await editor.waitFor({ state: 'detached' });
  }

  /** Opens the key's editor and types `value`; the edit's preview, once answered. Save with `saveEdit`. */
  async previewEdit(key: string, value: string): Promise<ChangePreviewPanel> {
    await this.row(key).getByTestId('config-edit').click();
    const editor = this.root.getByTestId('config-key-editor');
    await editor.getByTestId('config-key-value').locator('textarea, input').fill(value);
    const preview = new ChangePreviewPanel(editor.getByTestId('change-preview'));
    await preview.answered();
    return preview;
  }

  async saveEdit(): Promise<void> {
    const editor = this.root.getByTestId('config-key-editor');
    await editor.getByTestId('config-key-save').click();
    await new ActionConfirm(this.page).confirm();
    await editor.waitFor({ state: 'detached' });
  }

  async reveal(key: string): Promise<void> {
    await this.row(key).getByTestId('config-reveal').click();
    await this.row(key).getByTestId('config-hide').waitFor();
  }
}
