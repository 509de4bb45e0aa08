import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appInfoSchema } from '../../shared/contract/app.ts';
import { connectionStatusSchema } from '../../shared/contract/connections.ts';
import { connectionTestSchema, vpnProfileViewSchema } from '../../shared/contract/environments.ts';
import { bodyMessageText } from '../../shared/errors.ts';
import { ConnectionResolver } from '../../electron/main/connections/connection-resolver.ts';
import { ConnectionTester } from '../../electron/main/connections/connection-tester.ts';
import { MethodProbes } from '../../electron/main/connections/method-probes.ts';
import type { RuntimeAccess } from '../../electron/main/connections/runtime-access.ts';
import type { SshPools } from '../../electron/main/connections/ssh-pools.ts';
import { unavailableVpnGateway, type VpnGateway } from '../../electron/main/connections/vpn-gateway.ts';
import { resolveProgram } from '../../electron/main/connections/vpn/privileged-launcher.ts';
import { OpenVpnTunnel } from '../../electron/main/connections/vpn/openvpn-tunnel.ts';
import { probeTcp, VpnManager, type VpnStateEvent } from '../../electron/main/connections/vpn/vpn-manager.ts';
import { WireGuardTunnel } from '../../electron/main/connections/vpn/wireguard-tunnel.ts';
import type { EnvironmentRecord } from '../../electron/main/environments/environment-repository.ts';
import { VpnProfileService } from '../../electron/main/environments/vpn-profile-service.ts';
import { MetricsServer } from '../../electron/main/operations/scaling/metrics-server.ts';
import { metricsServerManifest } from '../../electron/main/operations/scaling/metrics-server-manifest.ts';
import { KeychainSecretStore, type KeytarApi } from '../../electron/main/secrets/keychain-secret-store.ts';
import { MemorySecretStore } from '../../electron/main/secrets/memory-secret-store.ts';
import { PassphraseVault } from '../../electron/main/secrets/passphrase-vault.ts';
import { SecretStoreChoice } from '../../electron/main/secrets/secret-store-choice.ts';
import { appInfoHandlers } from '../../electron/main/services/app-info-service.ts';
import { openAuditTrail, type AuditTrail } from '../../electron/main/audit/audit-trail.ts';
import { openDatabase } from '../../electron/main/storage/database.ts';
import type { CallContext } from '../../electron/main/ipc/router.ts';
import { appErrorOf } from '../support/app-errors.ts';
import { enStatusReasons } from '../../renderer/src/i18n/en-status-reasons.ts';
import { koStatusReasons } from '../../renderer/src/i18n/ko-status-reasons.ts';
import { cluster, englishWords, expectReasonShown, windows } from './status-reason-support.ts';
import { refusingPort } from '../support/refusing-address.ts';

// The reasons main writes about connections, VPNs, the keychain and Metrics Server, produced by
// the real main code against real sockets in a private temp folder, shown in both languages.

let folder: string;
let open: Server;
let openPort: number;
let engine: HttpServer;
let engineSocket: string;
let kube: HttpServer;
let kubeUrl: string;

function listen(server: Server | HttpServer): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'kiops-status-reasons-'));
  open = createServer((socket) => socket.destroy());
  await listen(open);
  openPort = (open.address() as { port: number }).port;
  // A Docker engine socket as far as `_ping` goes.
  engineSocket = join(folder, '엔진 engine.sock');
  engine = createHttpServer((request, response) => {
    response.writeHead(request.url?.endsWith('/_ping') ? 200 : 404, { 'content-type': 'text/plain' });
    response.end('OK');
  });
  await new Promise<void>((resolve) => engine.listen(engineSocket, () => resolve()));
  // An API server that serves nothing: every discovery and read is 404.
  kube = createHttpServer((_request, response) => {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', message: 'the server could not find the requested resource', code: 404 }));
  });
  await listen(kube);
  kubeUrl = `http://127.0.0.1:${(kube.address() as { port: number }).port}`;
  noVpn = unavailableVpnGateway(await appErrorOf(() => resolveProgram('openvpn', join(folder, '없는 bin'))));
});

afterAll(async () => {
  await Promise.all([open, engine, kube].map((server) => new Promise((resolve) => server.close(resolve))));
  rmSync(folder, { recursive: true, force: true });
});

/** A VPN that is up at once; whether the target answers through it is the real TCP probe. */
const upVpn: VpnGateway = { ...unavailableVpnGateway('unused'), bringUp: async () => {}, probe: (host, port, timeoutMs) => probeTcp(host, port, timeoutMs ?? 3_000) };
/** This computer has no VPN program where main looks: the launcher's own refusal, as composition hands it over. */
let noVpn: VpnGateway;

function probes(vpn: VpnGateway = noVpn): MethodProbes {
  return new MethodProbes({ ssh: {} as SshPools, vpn, timeoutMs: 20_000 });
}

describe('probe and tunnel health in both languages', () => {
  it('a port that accepts, a port that refuses', async () => {
    const accepted = await probeTcp('127.0.0.1', openPort, 20_000);
    expect(accepted.healthy).toBe(true);
    expectReasonShown(accepted.reason, accepted.text);
    const refused = await probeTcp('127.0.0.1', refusingPort, 20_000);
    expect(refused.healthy).toBe(false);
    expectReasonShown(refused.reason, refused.text);
  });

  it.each(['office ä', 'vpn-1'])('a VPN profile "%s" whose tunnel is not up', async (profileId) => {
    const manager = new VpnManager({ secrets: { get: async () => null }, launcher: {} as never, exitSafetyNet: false });
    const health = await manager.probe('127.0.0.1', openPort, 20_000, profileId);
    expect(health.healthy).toBe(false);
    expectReasonShown(health.reason, health.text);
  });

  it.each([null, 'not a VPN profile ä'])('a VPN whose profile is %s: the failed state the manager announces', async (stored) => {
    const manager = new VpnManager({ secrets: { get: async () => stored }, launcher: {} as never, exitSafetyNet: false });
    const events: VpnStateEvent[] = [];
    manager.onState((event) => events.push(event));
    await appErrorOf(() => manager.bringUp('office'));
    const failed = events.find((event) => event.state === 'failed');
    expectReasonShown(failed?.reason ?? '', failed?.text);
    // The VPN list shows the same reason beside the state.
    expect(manager.reason('office')).toEqual({ reason: failed?.reason, text: failed?.text });
  });

  it('an OpenVPN tunnel that could not start: the VPN list shows why beside "failed"', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----';
    const ovpn = ['client', 'route-nopull', 'dev tun', 'proto udp', 'remote vpn.example.com 1194', 'nobind', `<ca>\n${pem}\n</ca>`, `<cert>\n${pem}\n</cert>`, `<key>\n${pem}\n</key>`].join('\n');
    const launcher = { spawn: () => { throw new Error('spawn openvpn ENOENT'); } } as never;
    const manager = new VpnManager({ secrets: { get: async () => ovpn }, launcher, tempRoot: folder, exitSafetyNet: false });
    const database = openDatabase(mkdtempSync(join(folder, 'vpn-list-')));
    try {
      database.prepare('INSERT INTO vpn_profiles (id, name, kind, secret_keys, created_at) VALUES (?, ?, ?, ?, ?)').run('office', '사무실 office', 'openvpn', '[]', '2026-01-01T00:00:00.000Z');
      await appErrorOf(() => manager.bringUp('office'));
      const service = new VpnProfileService({ db: database, secrets: new MemorySecretStore(), trail: writableTrail, vpn: manager });
      const [view] = vpnProfileViewSchema.array().parse(service.list());
      expect(view?.state, manager.reason('office')?.reason).toBe('failed');
      expectReasonShown(view?.reason ?? '', view?.reasonText);
    } finally {
      database.close();
      manager.dispose();
    }
  });

  it('an OpenVPN and a WireGuard tunnel that are down', async () => {
    const options = { profileId: 'p', launcher: {} as never, tempRoot: folder, upTimeoutMs: 1_000 };
    for (const tunnel of [new OpenVpnTunnel({ ...options, profile: {} as never }), new WireGuardTunnel({ ...options, profile: {} as never, interfaceName: 'kiwgtest' })]) {
      const health = await tunnel.health();
      expect(health.healthy).toBe(false);
      expectReasonShown(health.reason, health.text);
    }
  });

  it('an engine socket that answers', async () => {
    const env = { ...cluster('local', openPort), kind: 'docker', target: { kind: 'engine', socketPath: engineSocket } } as unknown as EnvironmentRecord;
    const healthy = await probes().probe(env, 'direct');
    expectReasonShown(healthy.reason, healthy.text);
  });
});

describe('why a connection method was chosen or failed, in both languages', () => {
  it.each(['prod-east', '운영 클러스터'])('selected, first in priority, fallen back to, through a VPN: "%s"', async (name) => {
    const cases = [
      { env: cluster(name, openPort, { selected: 'direct', methods: ['direct'] }), vpn: noVpn, key: 'statusReasons.choice.selected' },
      { env: cluster(name, openPort), vpn: noVpn, key: 'statusReasons.choice.autoFirst' },
      { env: cluster(name, openPort, { methods: ['vpn', 'direct'], vpnProfileId: 'office' }), vpn: noVpn, key: 'statusReasons.choice.autoFellBack' },
      { env: cluster(name, openPort, { methods: ['vpn', 'direct'], vpnProfileId: 'office' }), vpn: upVpn, key: 'statusReasons.choice.autoFirst' },
    ];
    for (const { env, vpn, key } of cases) {
      const resolver = new ConnectionResolver(probes(vpn));
      const resolution = await resolver.resolve(env);
      expect(resolution.reasonText?.key).toBe(key);
      expectReasonShown(resolution.reason, resolution.reasonText);
      // The Operations Modal header and the connection test carry the same reason through the contract.
      const status = connectionStatusSchema.parse(resolver.status(env));
      expectReasonShown(status.reason ?? '', status.reasonText);
      for (const attempt of status.attempts) expectReasonShown(attempt.reason, attempt.reasonText);
    }
  });

  it.each(['prod-east', '운영 클러스터'])('no method works for "%s": every attempt, the tag and the test', async (name) => {
    const env = cluster(name, refusingPort, { methods: ['vpn', 'direct'], vpnProfileId: 'office' });
    const resolver = new ConnectionResolver(probes());
    const tester = new ConnectionTester({} as RuntimeAccess, resolver);
    const result = connectionTestSchema.parse(JSON.parse(JSON.stringify(await tester.test(env))));
    expect(result.state).toBe('error');
    if (result.state !== 'error') return;
    expect(result.reasonText?.key).toBe('statusReasons.noMethodWorks.all');
    expectReasonShown(result.reason, result.reasonText);
    for (const attempt of result.attempts) expectReasonShown(attempt.reason, attempt.reasonText);
    // The error the tag shows: the primary failure, its probe detail keyed as a part.
    expectReasonShown(result.error.message, bodyMessageText(result.error));
    const status = connectionStatusSchema.parse(resolver.status(env));
    expect(status.state).toBe('failed');
    expectReasonShown(status.reason ?? '', status.reasonText);
  });
});

const throwingKeytar = (message: string): KeytarApi => {
  const fail = async (): Promise<never> => {
    throw new Error(message);
  };
  return { getPassword: fail, setPassword: fail, deletePassword: fail, findCredentials: fail };
};

const writableTrail = { status: () => ({ writable: true }) } as unknown as AuditTrail;
const context = { sender: {} } as unknown as CallContext;
const identity = { version: '1.0.0', shell: 'browser' as const, platform: 'linux' };

describe('the keychain and the vault chip in both languages', () => {
  it.each(['Cannot autolaunch D-Bus without X11 $DISPLAY', 'The name org.freedesktop.secrets was not provided by any .service files'])('no keychain: "%s"', async (said) => {
    const keychain = new KeychainSecretStore({ service: 'kiops-test', keytar: throwingKeytar(said) });
    const status = await keychain.status();
    expectReasonShown(status.reason ?? '', status.text);
    const choice = await SecretStoreChoice.choose(keychain, new PassphraseVault(join(folder, `vault-${said.length}.json`)));
    expect(choice.kind).toBe('none');
    // The status bar chip and the first-run screen, through the contract.
    const info = appInfoSchema.parse(await appInfoHandlers(identity, choice, writableTrail)['app.info']({}, context));
    expect(info.keychain.reasonText?.key).toBe('statusReasons.keychain.noStore');
    expectReasonShown(info.keychain.reason ?? '', info.keychain.reasonText);
    // Saving a secret with no store says the same, as an error.
    const refused = await appErrorOf(() => choice.get('db/password'));
    expectReasonShown(refused.message, refused.text);
  });

  it.each(['Cannot autolaunch D-Bus without X11 $DISPLAY', 'Unknown or unsupported transport “disabled:”'])('the audit chip when the keychain says "%s"', async (said) => {
    const keychain = new KeychainSecretStore({ service: 'kiops-test', keytar: throwingKeytar(said) });
    const dataDir = mkdtempSync(join(folder, 'audit-'));
    const database = openDatabase(dataDir);
    try {
      const trail = await openAuditTrail({ database, secrets: keychain, dataDir, actor: 'status-reasons', onProblem: () => {} });
      const choice = await SecretStoreChoice.choose(keychain, new PassphraseVault(join(dataDir, 'vault.json')));
      const info = appInfoSchema.parse(await appInfoHandlers(identity, choice, trail)['app.info']({}, context));
      expect(info.audit.available).toBe(false);
      const korean = expectReasonShown(info.audit.reason ?? '', info.audit.reasonText);
      expect(korean).toContain(said);
      // The keychain's refusal inside it is main's sentence, in Korean too (only the keychain's own words stay).
      expect(korean).toMatch(/비밀을 (읽지|저장하지) 못했습니다/);
      expect(korean).not.toContain('Could not');
    } finally {
      database.close();
    }
  });

  it('a keychain that gives no reason, a locked vault', async () => {
    const silentKeychain = Object.assign(new MemorySecretStore({ available: false }), { status: async () => ({ available: false as const }) });
    const choice = await SecretStoreChoice.choose(silentKeychain, new PassphraseVault(join(folder, 'silent.json')));
    const none = await choice.status();
    expectReasonShown(none.reason ?? '', none.text);
    const info = appInfoSchema.parse(await appInfoHandlers(identity, { overview: async () => ({ status: { available: false }, state: { kind: 'none', vault: 'absent' } }) } as unknown as SecretStoreChoice, writableTrail)['app.info']({}, context));
    expect(info.keychain.reasonText?.key).toBe('statusReasons.keychain.notAvailable');
    expectReasonShown(info.keychain.reason ?? '', info.keychain.reasonText);
    const vault = new PassphraseVault(join(folder, '잠긴 vault.json'));
    await vault.create('a long passphrase ä');
    vault.lock();
    const locked = await vault.status();
    expectReasonShown(locked.reason ?? '', locked.text);
  });
});

describe('Metrics Server install notes in both languages', () => {
  it('an API server that serves none of the manifest, and cannot be checked', async () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({ clusters: [{ name: 'c', server: kubeUrl, skipTLSVerify: true }], users: [{ name: 'u' }], contexts: [{ name: 'c', cluster: 'c', user: 'u' }], currentContext: 'c' });
    const metrics = new MetricsServer(kubeConfig);
    const partial = await appErrorOf(() => metrics.install(false, { availableTimeoutMs: 1_000, pollMs: 100 }));
    expect(partial.text?.key).toBe('operations.scaling.metricsServerPartial');
    expect(partial.text?.parts?.['detail']?.length).toBeGreaterThan(1);
    expectReasonShown(partial.message, partial.text);
    const status = await metrics.status('default');
    expect(status.installed).toBe(false);
    expectReasonShown(status.problem ?? '', status.problemText);
  });
});

/**
 * An API server that serves every kind of the manifest and keeps what is created, but never marks
 * anything Available: the install applies every object and then waits in vain.
 */
async function keepingApiServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const namespaced = new Set(['ServiceAccount', 'RoleBinding', 'Service', 'Deployment']);
  const kinds = metricsServerManifest.map((object) => ({ apiVersion: object.apiVersion, kind: object.kind }));
  const stored = new Map<string, string>();
  const server = createHttpServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const discovery = /^\/(?:api\/v1|apis\/([^/]+\/[^/]+))$/.exec(path);
    if (request.method === 'GET' && discovery) {
      const groupVersion = discovery[1] ?? 'v1';
      const resources = kinds.filter((k) => k.apiVersion === groupVersion).map((k) => ({ name: `${k.kind.toLowerCase()}s`, singularName: k.kind.toLowerCase(), kind: k.kind, namespaced: namespaced.has(k.kind), verbs: ['get', 'create', 'update'] }));
      send(200, { kind: 'APIResourceList', groupVersion, resources });
      return;
    }
    if (request.method === 'POST') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const object = JSON.parse(body) as { metadata: { name: string } };
        stored.set(`${path}/${object.metadata.name}`, body);
        send(201, object);
      });
      return;
    }
    const found = stored.get(path);
    if (request.method === 'GET' && found !== undefined) send(200, JSON.parse(found));
    else send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', message: 'not found', code: 404 });
  });
  await listen(server);
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('a Metrics Server whose APIService never turns Available, in both languages', () => {
  it('every object applied, then the wait ends with the reason it has no condition yet', async () => {
    const api = await keepingApiServer();
    try {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromOptions({ clusters: [{ name: 'c', server: api.url, skipTLSVerify: true }], users: [{ name: 'u' }], contexts: [{ name: 'c', cluster: 'c', user: 'u' }], currentContext: 'c' });
      const timedOut = await appErrorOf(() => new MetricsServer(kubeConfig).install(false, { availableTimeoutMs: 1_000, pollMs: 100 }));
      expect(timedOut.text?.key).toBe('operations.scaling.metricsServerNotAvailable');
      expect(timedOut.text?.parts?.['detail']?.[0]?.key).toBe('statusReasons.metricsServer.noAvailableCondition');
      expectReasonShown(timedOut.message, timedOut.text);
    } finally {
      await api.close();
    }
  });
});

describe('every status reason has its Korean', () => {
  const leaves = (table: object, prefix: string): [string, string][] =>
    Object.entries(table).flatMap(([name, value]) => (typeof value === 'string' ? [[`${prefix}${name}`, value] as [string, string]] : leaves(value as object, `${prefix}${name}.`)));
  const korean = new Map(leaves(koStatusReasons, 'statusReasons.'));

  it.each(leaves(enStatusReasons, 'statusReasons.'))('%s', (key, english) => {
    const text = korean.get(key) ?? '';
    const words = (message: string) => message.replace(/\{\w+\}/g, ' ');
    // Its parameters are the same, its words Korean (a reason that is only names and parameters stays as it is).
    expect([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort(), key).toEqual([...english.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
    expect(englishWords(words(text), []), `${key}: ${text}`).toEqual([]);
    if (englishWords(words(english), []).length > 0) expect(text, key).toMatch(/[\uac00-\ud7a3]/);
    expect(windows.ko.has(`mainErrors.${key}`), key).toBe(true);
  });
});
