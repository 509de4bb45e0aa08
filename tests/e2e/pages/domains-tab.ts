import type { Locator, Page } from 'playwright-core';
import { ActionConfirm } from './action-confirm.ts';

/** The Domain Settings tab body (Kubernetes Ingress) inside the Operations Modal. */
export class DomainsTab {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get root(): Locator {
    return this.page.getByTestId('domains-tab');
  }

  rule(host: string, path: string): Locator {
    return this.root.locator(`[data-testid="domain-rule"][data-host="${host}"][data-path="${path}"]`);
  }

  async rules(): Promise<string[]> {
    return this.root.getByTestId('domain-rule').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].slice(0, 6).map((cell) => cell.textContent?.trim() ?? '').join(' | ')));
  }

  async add(host: string, path = '/'): Promise<void> {
    const form = this.root.getByTestId('domain-add-form');
    await form.getByTestId('domain-host').locator('input').fill(host);
    await form.getByTestId('domain-path').locator('input').fill(path);
    await form.getByTestId('domain-add').click();
    await new ActionConfirm(this.page).confirm();
    await this.rule(host, path).waitFor();
  }

  get hostHint(): Locator {
    return this.root.getByTestId('domain-host-hint');
  }
}
