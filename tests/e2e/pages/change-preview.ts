import type { Locator } from 'playwright-core';

/** A ChangePreview shown inside a confirmation or an editor. */
export class ChangePreviewPanel {
  readonly root: Locator;

  constructor(root: Locator) {
    this.root = root;
  }

  /** Waits until the dry run or plan has answered (shown, or refused with its reasons). */
  async answered(): Promise<void> {
    await this.root.locator('xpath=self::*[@data-state="ready" or @data-state="refused"]').waitFor({ timeout: 30_000 });
  }

  /** [path, change, before, after] per line, as shown. */
  async lines(): Promise<[string, string, string, string][]> {
    const rows = await this.root.getByTestId('change-preview-line').all();
    return Promise.all(
      rows.map(async (row) => {
        const cells = await row.locator('td').allTextContents();
        return [(await row.getAttribute('data-path')) ?? '', (await row.getAttribute('data-change')) ?? '', cells[1]?.trim() ?? '', cells[2]?.trim() ?? ''] as [string, string, string, string];
      }),
    );
  }
}
