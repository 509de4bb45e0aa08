import type { Locator, Page } from 'playwright-core';

/** The first-start "found these clusters" card and the "kubeconfig changed on disk" banner. */
export class KubeconfigFilesPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get found(): Locator {
    return this.page.getByTestId('kubeconfig-found');
  }

  foundContext(name: string): Locator {
    return this.found.locator(`[data-testid="kube-context"][data-name="${name}"]`);
  }

  async addFound(): Promise<void> {
    await this.found.getByTestId('kubeconfig-found-add').click();
    await this.found.waitFor({ state: 'detached' });
  }

  /** The banner of one environment (by its row name) once it shows. */
  changed(environmentName: string): Locator {
    return this.page.getByTestId('kubeconfig-changed').filter({ hasText: `${environmentName}: kubeconfig changed on disk` });
  }

  async fields(environmentName: string): Promise<string[]> {
    return this.changed(environmentName).getByTestId('kubeconfig-changed-field').allTextContents();
  }

  async reimport(environmentName: string): Promise<void> {
    const banner = this.changed(environmentName);
    await banner.getByTestId('kubeconfig-reimport').click();
    await banner.waitFor({ state: 'detached' });
  }
}
