import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import { parseAuditEntry } from '../../electron/main/audit/audit-row.ts';
import { withDeadline } from '../../electron/main/catalog/environment-discovery.ts';
import { parseServiceId } from '../../electron/main/catalog/service-id.ts';
import { dockerEndpointOf } from '../../electron/main/environments/docker-contexts.ts';
import { engineKindOf } from '../../electron/main/environments/engine-identity.ts';
import { parseKubeconfig, resolveContext, runExecCredentialPlugin } from '../../electron/main/environments/kubeconfig/index.ts';
import { oidcProviderConfig, refreshOidcTokens } from '../../electron/main/environments/kubeconfig/oidc-refresh.ts';
import { readRegularTextFile } from '../../electron/main/environments/kubeconfig/read-regular-file.ts';
import { hangul, received, translator } from '../../renderer/src/i18n/main-error-test-support.ts';
import { mainErrorText } from '../../renderer/src/i18n/main-error-text.ts';

/**
 * The real functions of main's environments, audit and catalog code throw keyed errors whose
 * English key renders exactly main's message (so no value is missing from the parameters), and
 * a Korean window shows them in Korean with every value.
 */
const english = translator('en');
const korean = translator('ko');
const names = ['prod east', '운영 클러스터', 'web-ä', 'a'];
const scratch = mkdtempSync(join(tmpdir(), 'kiops keyed errors '));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function thrown(work: () => unknown): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

async function expectKeyed(work: () => unknown, key: string, shown: readonly string[]): Promise<void> {
  const error = await thrown(work);
  if (!isAppError(error)) throw error;
  expect(error.text?.key, error.message).toBe(key);
  const params = error.text?.params ?? {};
  expect(english.render(`mainErrors.${key}`, { ...params }), key).toBe(error.message);
  const inKorean = mainErrorText(received(error), korean);
  expect(inKorean, key).toMatch(hangul);
  expect(inKorean, key).not.toMatch(/[{}]/);
  for (const value of shown) expect(inKorean, `${key} shows ${value}`).toContain(value);
  expect(mainErrorText(received(error), english)).toBe(error.message);
}

describe.each(names)('errors main throws, with the name "%s"', (name) => {
  const source = join(scratch, `${name}.yaml`);

  it('kubeconfig parsing and context resolution', async () => {
    await expectKeyed(() => parseKubeconfig('', source), 'environments.kubeconfig.empty', [source]);
    await expectKeyed(() => parseKubeconfig('clusters: [\n', source), 'environments.kubeconfig.notYamlAt', [source, '2']);
    await expectKeyed(() => parseKubeconfig('- one\n', source), 'environments.kubeconfig.notMapping', [source]);
    await expectKeyed(() => parseKubeconfig(`clusters:\n- name: ${JSON.stringify(name)}\n  cluster: {}\n`, source), 'environments.kubeconfig.schemaMissing', [source, name]);
    const model = parseKubeconfig(`contexts:\n- name: ${JSON.stringify(name)}\n  context: { cluster: ${JSON.stringify(`${name}-c`)}, user: u }\n`, source);
    await expectKeyed(() => resolveContext(model), 'environments.kubeconfig.noCurrentContext', [source]);
    await expectKeyed(() => resolveContext(model, `${name}-x`), 'environments.kubeconfig.missingContextKnown', [source, `${name}-x`, name]);
    await expectKeyed(() => resolveContext(model, name), 'environments.kubeconfig.missingCluster', [source, name, `${name}-c`]);
  });

  it('files the operator names', async () => {
    const missing = join(scratch, `${name} missing`);
    await expectKeyed(() => readRegularTextFile(missing, 1024, { code: 'KUBECONFIG_INVALID', what: 'kubeconfig file' }), 'environments.file.kubeconfig.missing', [missing]);
    const folder = join(scratch, `${name} folder`);
    mkdirSync(folder, { recursive: true });
    await expectKeyed(() => readRegularTextFile(folder, 1024, { code: 'INVALID_INPUT', what: 'SSH file' }), 'environments.file.ssh.notFile', [folder]);
    const large = join(scratch, `${name} large`);
    writeFileSync(large, 'x'.repeat(3 * 1024));
    await expectKeyed(() => readRegularTextFile(large, 2 * 1024, { code: 'KUBECONFIG_INVALID', what: `"client-certificate" file` }), 'environments.file.field.tooLarge', [large, 'client-certificate', '2']);
  });

  it('Docker hosts and engines', async () => {
    await expectKeyed(() => dockerEndpointOf(`unix://${name}`, false), 'environments.dockerContext.socketNotAbsolute', [`unix://${name}`]);
    await expectKeyed(() => dockerEndpointOf(`not a url ${name}`, false), 'environments.dockerContext.notHostUrl', [`not a url ${name}`]);
    await expectKeyed(() => dockerEndpointOf('tcp://', false), 'environments.dockerContext.hostMissing', ['tcp://']);
    await expectKeyed(() => dockerEndpointOf('ftp://host.example', false), 'environments.dockerContext.unsupportedScheme', ['ftp:']);
    await expectKeyed(() => dockerEndpointOf('ssh://u:secret@host.example', false), 'environments.dockerContext.sshPassword', []);
    const where = `The socket /run/${name}.sock`;
    await expectKeyed(() => engineKindOf({ version: { Components: [{ Name: name }], Platform: { Name: `${name} platform` } }, libpodPing: 404 }, where), 'environments.engine.unknownComponentsOnPlatform', [where, name]);
    await expectKeyed(() => engineKindOf({ version: {}, libpodPing: null }, where), 'environments.engine.noComponents', [where]);
    await expectKeyed(() => engineKindOf({ version: null, libpodPing: null }, where), 'environments.engine.noVersion', [where]);
  });

  it('credential plugins and OIDC', async () => {
    const label = `context "${name}"`;
    const command = join(scratch, `${name} no such plugin`);
    await expectKeyed(() => runExecCredentialPlugin({ command, args: ['get-token'] } as Parameters<typeof runExecCredentialPlugin>[0], { timeoutMs: 10_000, path: '/usr/bin:/bin', home: scratch, label }), 'environments.execPlugin.notFound', [label, command]);
    await expectKeyed(() => oidcProviderConfig({}, label), 'environments.oidc.settingsIncomplete', [label]);
    await expectKeyed(() => refreshOidcTokens({ issuerUrl: 'https://issuer.example', clientId: 'c' }, label), 'environments.oidc.noRefreshToken', [label]);
    await expectKeyed(() => refreshOidcTokens({ issuerUrl: 'http://issuer.example', clientId: 'c', refreshToken: 'r' }, label), 'environments.oidc.notHttps', [label, 'http://issuer.example']);
  });

  it('service ids, discovery deadlines and audit entries', async () => {
    await expectKeyed(() => parseServiceId(name), 'environments.catalog.serviceId.form', [name]);
    await expectKeyed(() => withDeadline(new Promise(() => undefined), 1, `"${name}" did not answer in time.`, undefined, { key: 'environments.catalog.noAnswer', params: { name } }), 'environments.catalog.noAnswer', [name]);
    await expectKeyed(() => parseAuditEntry({ action: 'pod.delete', target: name, outcome: 'success', details: { blob: 'x'.repeat(20_000) } }), 'environments.audit.detailsTooLarge', ['pod.delete']);
    await expectKeyed(() => parseAuditEntry({ action: name, target: name, outcome: 'success' }), 'environments.audit.entryInvalid', [name]);
  });
});

/** Every `new AppError(` in these folders passes a key (its 4th argument); exceptions are listed with why. */
const keyedFolders = ['electron/main/environments', 'electron/main/audit', 'electron/main/catalog', 'electron/main/security'];
const exceptions: Record<string, string> = {};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

function unkeyedAppErrors(path: string): string[] {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && node.expression.getText(file) === 'AppError' && (node.arguments?.length ?? 0) < 4) {
      found.push(`${path}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('keys on every error of the environments, audit, catalog and security code', () => {
  const files = keyedFolders.flatMap(sources);

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it('no new AppError( without a key', () => {
    const unkeyed = files.flatMap(unkeyedAppErrors).filter((site) => !(site in exceptions));
    expect(unkeyed).toEqual([]);
  });

  it('the check sees a multi-line call without a key', () => {
    const path = join(scratch, 'sample.ts');
    writeFileSync(path, "throw new AppError(\n  'CONFLICT',\n  `x`,\n);\nthrow new AppError('CONFLICT', 'y', undefined, { key: 'k' });\n");
    expect(unkeyedAppErrors(path)).toEqual([`${path}:1`]);
  });
});
