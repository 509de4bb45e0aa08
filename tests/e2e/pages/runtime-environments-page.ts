import type { Locator, Page } from 'playwright-core';

/** Form payloads for setInputFiles: a file chosen in the browser's file picker. */
export interface ChosenFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/**
 * The Runtime Environments page: the environment rows with their tests, the add wizards, the
 * SSH identities and VPN profiles tabs, and the dialogs rows open (host key, edit, remove,
 * connection method, details).
 */
export class RuntimeEnvironmentsPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get emptyState(): Locator {
    return this.page.getByTestId('environments-empty');
  }

  get rows(): Locator {
    return this.page.getByTestId('environment-row');
  }

  row(name: string): Locator {
    return this.page.locator(`[data-testid="environment-row"][data-name="${name}"]`);
  }

  testResult(name: string): Locator {
    return this.row(name).getByTestId('test-result');
  }

  methodTag(name: string): Locator {
    return this.row(name).getByTestId('connection-method-tag');
  }

  get hostKeyDialog(): Locator {
    return this.page.getByTestId('host-key-dialog');
  }

  get methodDialog(): Locator {
    return this.page.getByTestId('connection-method-dialog');
  }

  get details(): Locator {
    return this.page.getByTestId('environment-details');
  }

  /** Tests a row's connection and waits until the row shows an outcome. */
  async testConnection(name: string): Promise<string | null> {
    await this.row(name).getByTestId('environment-test').click();
    await this.page.locator(`[data-testid="environment-row"][data-name="${name}"] [data-testid="test-result"]:not([data-state="testing"]):not([data-state="none"])`).waitFor();
    return this.testResult(name).getAttribute('data-state');
  }

  async fill(testId: string, value: string): Promise<void> {
    const field = this.page.getByTestId(testId);
    const input = field.locator('input, textarea').first();
    await ((await input.count()) > 0 ? input : field).fill(value);
  }

  /** Picks the option with `label` (a substring) in a naive-ui select. */
  async select(testId: string, label: string): Promise<void> {
    await this.page.getByTestId(testId).click();
    const option = this.page.locator('.n-base-select-option').filter({ hasText: label });
    await option.first().click();
    await option.first().waitFor({ state: 'hidden' });
  }

  // — Kubernetes wizard —

  async addKubernetesFromFile(file: ChosenFile): Promise<void> {
    await this.page.getByTestId('add-kubernetes').click();
    await this.page.getByTestId('kube-file').setInputFiles(file);
    await this.page.getByTestId('kube-preview').click();
    await this.page.getByTestId('kube-context').first().waitFor();
  }

  async finishKubernetes(name: string): Promise<void> {
    await this.page.getByTestId('wizard-next').click();
    await this.fill('kube-name', name);
    await this.page.getByTestId('kube-add').click();
    await this.page.getByTestId('kube-wizard').waitFor({ state: 'detached' });
    await this.row(name).waitFor();
  }

  // — Engine wizard —

  async openRemoteEngineWizard(): Promise<void> {
    await this.page.getByTestId('add-engine').click();
    await this.page.getByTestId('engine-mode-remote').click();
  }

  async fillRemoteEngine(host: { host: string; port: number; user: string; identity: string; socketPath: string; name: string }): Promise<void> {
    await this.fill('ssh-host', host.host);
    await this.fill('ssh-port', String(host.port));
    await this.fill('ssh-user', host.user);
    await this.select('ssh-identity', host.identity);
    await this.fill('engine-socket', host.socketPath);
    await this.fill('engine-name', host.name);
  }

  async submitEngine(name: string): Promise<void> {
    await this.page.getByTestId('engine-add').click();
    await this.page.getByTestId('engine-wizard').waitFor({ state: 'detached' });
    await this.row(name).waitFor();
  }

  // — SSH identities and VPN profiles —

  async openTab(tab: 'identities' | 'vpn'): Promise<void> {
    await this.page.getByTestId(`tab-${tab}`).click();
  }

  async openEnvironmentsTab(): Promise<void> {
    await this.page.locator('.n-tabs-tab').first().click();
  }

  identityRow(name: string): Locator {
    return this.page.locator(`[data-testid="identity-row"][data-name="${name}"]`);
  }

  vpnRow(name: string): Locator {
    return this.page.locator(`[data-testid="vpn-row"][data-name="${name}"]`);
  }

  /** Fills the identity form in `scope` (the tab's form, or the inline one in a wizard). */
  async fillIdentity(scope: Locator, identity: { name: string; privateKey: string; passphrase?: string }): Promise<void> {
    await scope.getByTestId('identity-name').locator('input').fill(identity.name);
    await scope.getByTestId('identity-key').locator('textarea').fill(identity.privateKey);
    if (identity.passphrase !== undefined) await scope.getByTestId('identity-passphrase').locator('input').fill(identity.passphrase);
    await scope.getByTestId('identity-submit').click();
  }

  async addVpnProfile(name: string, profile: string): Promise<void> {
    await this.fill('vpn-name', name);
    await this.fill('vpn-profile', profile);
    await this.page.getByTestId('vpn-submit').click();
    await this.vpnRow(name).waitFor();
  }
}
