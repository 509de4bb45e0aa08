import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type KiopsClient } from '../../shared/contract/client.ts';
import { OrganisationPolicyFile } from '../../electron/main/permissions/organisation-policy.ts';
import { compose, EngineContainers } from '../integration/catalog/support.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { type BrowserApp, startBrowserApp, trustedClient } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { OperationsModalPage } from './pages/operations-modal-page.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

// Issue 15 part 2: what Production takes away is explained where the operator marks it, and the
// organisation policy is edited in the app, written to the file the gate reads. Part 6: a
// refusal main wrote reaches a Korean window in Korean.

const env = useTestEnvironment('keyring', 'docker');
const hangul = /[\uac00-\ud7a3]/;

describe('organisation policy editor and the production explanation', () => {
  let app: BrowserApp;
  let shell: AppShellPage;
  let client: KiopsClient;
  let policyPath = '';
  const name = `prod docker ${randomUUID().slice(0, 6)}`;
  const containers = new EngineContainers(env.docker.socketPath, env.docker.images.version1.reference);
  const project = `policy${Date.now().toString(36)}`;

  beforeAll(async () => {
    await containers.run(`${project}-web-1`, compose(project, 'web'));
    app = await startBrowserApp({ locale: 'en-US' });
    client = trustedClient(app.server.core, 'policy-e2e');
    await client.call('environments.addEngine', { name, engine: 'docker', socketPath: env.docker.socketPath, production: true });
    policyPath = (await client.call('policy.get', {})).path;
    shell = new AppShellPage(app.page);
    await shell.waitUntilReady();
    await shell.navigate('environments');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await containers.removeAll();
  });

  test('the environments list says what production removes by default, why, and how to grant it', async () => {
    const notice = app.page.getByTestId('page-environments').getByTestId('production-permissions-notice');
    await notice.waitFor();
    expect(await notice.getByTestId('production-removes').textContent()).toContain('allows viewing logs only');
    expect(await notice.getByTestId('production-grant').textContent()).toContain('Organisation policy');
    await shell.screenshot('production-explanation-en');
  });

  test('the Operations Modal of a production service says which permissions production withheld and how to grant them', async () => {
    const services = new ServiceManagementPage(app.page);
    const modal = new OperationsModalPage(app.page);
    await shell.navigate('services');
    await services.waitForService(project);
    await services.operate(project);
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
    const notice = modal.root.getByTestId('production-permissions-notice');
    await notice.waitFor();
    expect(await notice.getByTestId('production-withheld').textContent()).toBe('Withheld here: Command execution, Management.');
    await shell.screenshot('production-explanation-modal-en');
    // main's reason for the hidden Command Execution tab, in the window's language
    const hidden = modal.root.locator('[data-testid="operations-hidden-tab"][data-tab="commands"]');
    expect(await hidden.textContent()).toContain('Request permission from your organization manager. Command execution is not granted:');
    await modal.close();
    await shell.chooseLanguage('ko');
    await services.operate(project);
    await modal.waitUntilOpen();
    await expect.poll(() => hidden.textContent()).toContain('조직 관리자에게 권한을 요청하세요. 명령 실행 권한이 없습니다:');
    expect(await hidden.textContent()).not.toMatch(/is not granted|production environment/);
    await shell.screenshot('production-hidden-tab-reason-ko');
    await modal.close();
    await shell.chooseLanguage('en');
    await shell.navigate('environments');
  });

  test('the policy editor saves a rule to the file the permission gate reads', async () => {
    await app.page.getByTestId('tab-policy').click();
    const editor = app.page.getByTestId('policy-editor');
    await editor.getByTestId('policy-absent').waitFor();
    expect(await editor.getByTestId('policy-path').textContent()).toContain(policyPath);
    // the first suggested rule matches tag production; grant command execution there
    const rule = editor.locator('[data-testid="policy-rule"][data-index="0"]');
    expect(await rule.getByTestId('policy-rule-value').locator('input').inputValue()).toBe('production');
    await rule.getByTestId('policy-rule-commands').click();
    await editor.getByTestId('policy-save').click();
    await editor.getByTestId('policy-saved').waitFor();
    const state = await new OrganisationPolicyFile(policyPath).current();
    expect(state).toMatchObject({ kind: 'loaded', policy: { rules: [{ match: { tag: 'production' }, allow: ['logs', 'commands'] }, { match: { tag: 'non-production' }, allow: ['logs', 'commands', 'management'] }] } });
    const row = (await client.call('audit.list', { limit: 1 })).rows[0];
    expect(row).toMatchObject({ action: 'policy.save', outcome: 'success', target: policyPath });
    await shell.screenshot('policy-editor-en');
  });

  test('in Korean, main\'s refusal of a save over a changed file is shown in Korean', async () => {
    await shell.chooseLanguage('ko');
    const editor = app.page.getByTestId('policy-editor');
    // the editor still holds what it saved last; no reload, which could race the change below
    await editor.locator('[data-testid="policy-rule"][data-index="0"]').waitFor();
    // someone (the team that distributes the file) changes it while the editor is open
    const distributed = 'version: 1\ndefault: [logs]\nrules: []\n';
    writeFileSync(policyPath, distributed);
    await editor.locator('[data-testid="policy-rule"][data-index="0"]').getByTestId('policy-rule-management').click();
    await editor.getByTestId('policy-save').click();
    const error = editor.getByTestId('policy-save-error');
    await error.waitFor();
    const text = (await error.textContent()) ?? '';
    expect(text).toMatch(hangul);
    expect(text).toContain('변경되었습니다');
    expect(text).toContain(policyPath);
    expect(readFileSync(policyPath, 'utf8')).toBe(distributed);
    await error.scrollIntoViewIfNeeded();
    await shell.screenshot('main-error-ko');
  });
});
