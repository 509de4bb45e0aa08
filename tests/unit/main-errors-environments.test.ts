import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import { parseAuditEntry } from '../../electron/main/audit/audit-row.ts';
import { dropAppendOnlyTriggers, openAuditTestBench, recordSome } from '../../electron/main/audit/audit-test-kit.ts';
import { withDeadline } from '../../electron/main/catalog/environment-discovery.ts';
import { parseServiceId } from '../../electron/main/catalog/service-id.ts';
import { dockerEndpointOf } from '../../electron/main/environments/docker-contexts.ts';
import { engineKindOf } from '../../electron/main/environments/engine-identity.ts';
import { parseKubeconfig, resolveContext, runExecCredentialPlugin } from '../../electron/main/environments/kubeconfig/index.ts';
import { oidcProviderConfig, refreshOidcTokens } from '../../electron/main/environments/kubeconfig/oidc-refresh.ts';
import { readRegularTextFile } from '../../electron/main/environments/kubeconfig/read-regular-file.ts';
import type { SecurityFinding } from '../../shared/contract/security.ts';
import { analyseBanners } from '../../electron/main/security/checks/banner.ts';
import { analyseCookies } from '../../electron/main/security/checks/cookies.ts';
import { analyseCors, probeOrigin } from '../../electron/main/security/checks/cors.ts';
import { analyseDirectoryListing } from '../../electron/main/security/checks/directory-listing.ts';
import { analyseErrorPages } from '../../electron/main/security/checks/error-pages.ts';
import { analyseSecurityHeaders } from '../../electron/main/security/checks/headers.ts';
import { analyseMethods } from '../../electron/main/security/checks/methods.ts';
import { analyseReflection, reflectionValue } from '../../electron/main/security/checks/reflection.ts';
import { analyseSensitivePath, sensitivePaths } from '../../electron/main/security/checks/sensitive-paths.ts';
import { analyseRedirect, analyseTransport } from '../../electron/main/security/checks/transport.ts';
import type { RecordedResponse } from '../../electron/main/security/probe-types.ts';
import { findingText } from '../../renderer/src/components/security/finding-text.ts';
import { hangul, received, translator } from '../../renderer/src/i18n/main-error-test-support.ts';
import { mainErrorText, renderedParams } from '../../renderer/src/i18n/main-error-text.ts';
import { labelOf, whereOf } from '../../shared/message-params.ts';

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
  expect(english.render(`mainErrors.${key}`, renderedParams({ key, params }, english) ?? {}), key).toBe(error.message);
  const inKorean = mainErrorText(received(error), korean);
  expect(inKorean, key).toMatch(hangul);
  expect(inKorean, key).not.toMatch(/[{}]/);
  for (const value of shown) expect(inKorean, `${key} shows ${value}`).toContain(value);
  // Prose main keyed inside the message (a subject phrase, another message) shows in Korean, not as main's English.
  for (const [name, value] of Object.entries(params)) if (`${name}Key` in params) expect(inKorean, `${key}: ${name} in Korean`).not.toContain(String(value));
  expect(mainErrorText(received(error), english)).toBe(error.message);
}

describe.each(names)('errors main throws, with the name "%s"', (name) => {
  const source = join(scratch, `${name}.yaml`);

  it('kubeconfig parsing and context resolution', async () => {
    await expectKeyed(() => parseKubeconfig('', source), 'environments.kubeconfig.empty', [source]);
    await expectKeyed(() => parseKubeconfig('clusters: [\n', source), 'environments.kubeconfig.notYamlAt', [source, '2']);
    await expectKeyed(() => parseKubeconfig('- one\n', source), 'environments.kubeconfig.notMapping', [source]);
    await expectKeyed(() => parseKubeconfig(`clusters:\n- name: ${JSON.stringify(name)}\n  cluster: {}\n`, source), 'environments.kubeconfig.schemaMissing.namedField', [source, name, 'server']);
    await expectKeyed(() => parseKubeconfig(`clusters:\n- name: 7\n  cluster: { server: https://k8s.example }\n`, source), 'environments.kubeconfig.schemaWrong.entryField', [source, 'name', '1']);
    await expectKeyed(() => parseKubeconfig(`clusters: 5\n`, source), 'environments.kubeconfig.schemaWrong.field', [source, 'clusters']);
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
    const where = whereOf('socket', `/run/${name}.sock`);
    await expectKeyed(() => engineKindOf({ version: { Components: [{ Name: name }], Platform: { Name: `${name} platform` } }, libpodPing: 404 }, where), 'environments.engine.unknownComponentsOnPlatform', [`소켓 /run/${name}.sock`, name]);
    await expectKeyed(() => engineKindOf({ version: {}, libpodPing: null }, where), 'environments.engine.noComponents', [`소켓 /run/${name}.sock`]);
    await expectKeyed(() => engineKindOf({ version: null, libpodPing: null }, where), 'environments.engine.noVersion', [`소켓 /run/${name}.sock`]);
  });

  it('credential plugins and OIDC', async () => {
    const label = labelOf('context', name);
    const shownLabel = `컨텍스트 "${name}"`;
    const command = join(scratch, `${name} no such plugin`);
    await expectKeyed(() => runExecCredentialPlugin({ command, args: ['get-token'] } as Parameters<typeof runExecCredentialPlugin>[0], { timeoutMs: 10_000, path: '/usr/bin:/bin', home: scratch, label }), 'environments.execPlugin.notFound', [shownLabel, command]);
    await expectKeyed(() => oidcProviderConfig({}, label), 'environments.oidc.settingsIncomplete', [shownLabel]);
    await expectKeyed(() => refreshOidcTokens({ issuerUrl: 'https://issuer.example', clientId: 'c' }, label), 'environments.oidc.noRefreshToken', [shownLabel]);
    await expectKeyed(() => refreshOidcTokens({ issuerUrl: 'http://issuer.example', clientId: 'c', refreshToken: 'r' }, label), 'environments.oidc.notHttps', [shownLabel, 'http://issuer.example']);
  });

  it('service ids, discovery deadlines and audit entries', async () => {
    await expectKeyed(() => parseServiceId(name), 'environments.catalog.serviceId.form', [name]);
    await expectKeyed(() => withDeadline(new Promise(() => undefined), 1, `"${name}" did not answer in time.`, undefined, { key: 'environments.catalog.noAnswer', params: { name } }), 'environments.catalog.noAnswer', [name]);
    await expectKeyed(() => parseAuditEntry({ action: 'pod.delete', target: name, outcome: 'success', details: { blob: 'x'.repeat(20_000) } }), 'environments.audit.detailsTooLarge', ['pod.delete']);
    await expectKeyed(() => parseAuditEntry({ action: name, target: name, outcome: 'success' }), 'environments.audit.entryInvalid', [name]);
  });
});

describe.each([3, 4, 6])('a damaged audit trail refuses in the window\'s language (row %i)', (row) => {
  it('edited, deleted and swapped rows: the refusal quotes the finding, in Korean with its row numbers', async () => {
    const refusals: [string, string, string[]][] = [
      ["UPDATE audit_trail SET outcome = 'failure' WHERE seq = ?", 'environments.audit.broken.edited', [String(row)]],
      ['DELETE FROM audit_trail WHERE seq = ?', 'environments.audit.broken.rowMissing', [String(row)]],
    ];
    for (const [tamper, key, shown] of refusals) {
      const bench = await openAuditTestBench();
      try {
        recordSome(bench.trail, 8);
        await bench.trail.whenAnchored();
        dropAppendOnlyTriggers(bench.database);
        bench.database.prepare(tamper).run(row);
        expect(bench.trail.verify()).toMatchObject({ ok: false });
        await expectKeyed(() => bench.trail.record({ action: 'pod.delete', target: `prod/${names[row % names.length]}`, outcome: 'success' }), key, shown);
        await expectKeyed(() => bench.trail.acknowledge('  '), 'environments.audit.reasonNeeded', []);
        // the status the app shows (and other refusals quote) carries the same key
        const status = bench.trail.status();
        if (status.writable) throw new Error('the damaged trail still takes rows');
        expect(status.text.key).toBe(key);
        expect(english.render(`mainErrors.${status.text.key}`, { ...status.text.params })).toBe(status.reason);
      } finally {
        bench.dispose();
      }
    }
  });
});

const recorded = (partial: Partial<RecordedResponse>): RecordedResponse => ({ path: '/', method: 'GET', status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<html></html>', ...partial });
const plain = { 'content-type': 'text/plain' };
const sensitiveBodies: Record<string, string> = {
  '/.git/config': '[core]\n\trepositoryformatversion = 0\n',
  '/.env': 'DB_PASSWORD=hunter2\n',
  '/server-status': 'Apache Server Status for host',
  '/actuator/env': '{"activeProfiles": []}',
  '/.DS_Store': '\u0000\u0000\u0000\u0001Bud1',
  '/index.php.bak': '<?php echo 1;',
  '/config.php.bak': '<?php $a = 1;',
  '/backup.zip': 'PK\u0003\u0004rest',
  '/backup.tar.gz': '\u001f\u008brest',
};
const errorBodies = [
  '    at handler (/app/server.js:10:5)',
  'Traceback (most recent call last):\n  File "app.py"',
  'java.lang.IllegalStateException: boom\n\tat com.App(App.java:10)',
  '<b>Fatal error</b>: oops in x on line <b>3</b>',
  "Server Error in '/' Application.",
  '#0 /var/www/index.php(12): run()',
];

/** Every finding the checks can raise, with `name` in what the check reports (a cookie, a path, a parameter). */
function allFindings(name: string): SecurityFinding[] {
  const path = `/${name}/`;
  return [
    ...analyseSecurityHeaders(recorded({ path, headers: {} })),
    ...analyseBanners(recorded({ headers: { server: `${name}/1.2`, 'x-powered-by': name } })),
    ...analyseCookies([recorded({ headers: { 'set-cookie': `${name}=secret; Path=/` } })]),
    ...analyseCors(recorded({ path, headers: { 'access-control-allow-origin': probeOrigin, 'access-control-allow-credentials': 'true' } }), probeOrigin),
    ...analyseCors(recorded({ path, headers: { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' } }), probeOrigin),
    ...analyseCors(recorded({ path, headers: { 'access-control-allow-origin': probeOrigin } }), probeOrigin),
    ...analyseDirectoryListing(recorded({ path, body: `<html><head><title>Index of ${path}</title></head></html>` }), null),
    ...errorBodies.flatMap((body, index) => analyseErrorPages([recorded({ path: `${path}${index}?x=1`, status: 500, body })])),
    ...analyseMethods(recorded({ path, method: 'OPTIONS', headers: { allow: 'GET, PUT, DELETE' } })),
    ...analyseMethods(recorded({ path, method: 'OPTIONS', headers: { allow: 'GET, TRACE' } })),
    ...analyseReflection(recorded({ path: `${path}?${name}=x`, body: `<p>${reflectionValue('m1')}</p>` }), name, 'm1'),
    ...sensitivePaths.flatMap((entry) => analyseSensitivePath(entry, recorded({ path: entry.path, headers: plain, body: sensitiveBodies[entry.path] ?? '' }), null)),
    ...analyseTransport(new URL('http://shop.example'), recorded({})),
    ...analyseTransport(new URL('https://shop.example'), recorded({ path })),
    ...analyseRedirect(new URL('https://shop.example'), recorded({ path, status: 302, headers: { location: `https://other.example/${name}` } })),
  ];
}

describe.each(names)('Security Analysis findings in the window\'s language, with the name "%s"', (name) => {
  const found = allFindings(name);

  it('every kind of finding is raised', () => {
    // 5 headers, 2 banners, 1 cookie, 3 CORS, 1 listing, 6 error pages, 2 methods, 1 reflection, 9 paths, 2 transport, 1 redirect
    expect(found).toHaveLength(33);
  });

  it('each text is keyed: the key renders main\'s exact English, and Korean in a Korean window', () => {
    for (const finding of found) {
      for (const field of ['title', 'evidence', 'remediation'] as const) {
        const text = finding.texts?.[field];
        expect(text, `${finding.id} ${field}`).toBeDefined();
        if (text === undefined) continue;
        expect(english.render(`mainErrors.${text.key}`, { ...text.params }), `${finding.id} ${field}`).toBe(finding[field]);
        expect(findingText(finding, field, english)).toBe(finding[field]);
        const inKorean = findingText(finding, field, korean);
        if (!(finding.id.startsWith('banner.') && field === 'evidence')) expect(inKorean, `${finding.id} ${field}`).toMatch(hangul);
        expect(inKorean).not.toMatch(/[{}]/);
      }
    }
  });

  it('the Korean title and evidence name what was found', () => {
    const byId = (id: string) => found.find((finding) => finding.id === id) ?? found[0];
    const cookie = byId(`cookies.flags:${name}`);
    expect(cookie && findingText(cookie, 'title', korean)).toContain(name);
    const reflection = byId(`reflection:${name}`);
    expect(reflection && findingText(reflection, 'title', korean)).toContain(name);
    const listing = byId(`listing:/${name}/`);
    expect(listing && findingText(listing, 'title', korean)).toContain(`/${name}/`);
  });
});
