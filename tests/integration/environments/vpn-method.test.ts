import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConnectionTest } from '../../../shared/contract/environments.ts';
import { probeTcp } from '../../../electron/main/connections/vpn/vpn-manager.ts';
import { describeWithEnvironment } from '../../support/test-environment.ts';
import { vpnLabSkipReason } from '../../support/vpn-prerequisites.ts';
import { createVpnLab, interfacesWithAddressIn, pidsMatching, type VpnLab } from '../vpn/support/vpn-lab.ts';
import { startOpenVpnServer, type OpenVpnServer } from '../vpn/support/openvpn-server.ts';
import { startWireGuardServer, type WireGuardServer } from '../vpn/support/wireguard-peer.ts';
import { startTestCore, type TestCore } from './support/core.ts';
import { childProcessesNamed, startTunnelOnlyKube, type TunnelOnlyKube } from './support/tunnel-only-kube.ts';

// The kube test server's demo scenario: web ×3, api-crashloop ×1, worker ×1 in "default".
const demoPods = 5;

/**
 * The VPN connection method end to end, through the contract, against a real wireguard-go:
 *
 *   root namespace (the app, the test)            lab namespace
 *     kiwg…  10.N.1.2/32 ══ WireGuard over veth ══ wireguard-go 10.N.1.1
 *                                                  kube test server, relayed on 10.N.9.1:PORT
 *
 * The API server address exists only in the lab namespace, and an `unreachable 10.N.0.0/16`
 * route makes every attempt to reach it without the tunnel fail at once.
 *
 * The VpnManager of the app puts each tunnel's private profile folder under os.tmpdir(), which
 * follows TMPDIR: pointing TMPDIR at a folder of the test's own shows exactly when the profile
 * exists on disk. A second app with a profile whose server never answers runs its bring-up in
 * the background meanwhile, with a 10 s deadline instead of the product's 30 s, so the file stays
 * short.
 */
describeWithEnvironment(['keyring'], 'the VPN connection method (WireGuard via wireguard-go)', () => {
  const skipReason = vpnLabSkipReason(['wireguard-go', 'wg']);
  if (skipReason !== null) {
    it('needs root for network namespaces and wireguard-go', (context) => context.skip(skipReason));
    return;
  }
  let lab: VpnLab;
  let wg: WireGuardServer;
  let kube: TunnelOnlyKube;
  let app: TestCore;
  let appClosed = false;
  let silentApp: TestCore;
  let appTmp: string;
  let silentTmp: string;
  let silentResult: Promise<ConnectionTest | Error> | undefined;
  let silentAddress: string;
  let clientPrivateKey: string;
  let vpnProfileId: string;
  let iface: string;
  const savedTmpdir = process.env.TMPDIR;
  const restoreTmpdir = (): void => {
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
  };

  beforeAll(async () => {
    lab = await createVpnLab();
    wg = await startWireGuardServer(lab);
    kube = await startTunnelOnlyKube(lab);
    appTmp = await lab.folder('app-tmp');
    silentTmp = await lab.folder('silent-tmp');
    clientPrivateKey = /^PrivateKey = (.+)$/m.exec(wg.clientProfile)?.[1] ?? '';
    expect(clientPrivateKey).not.toBe('');
    app = await startTestCore();
    silentApp = await startTestCore({ vpnUpTimeoutMs: 10_000 });

    // The silent profile: its own address and route (so it never collides with the good tunnel),
    // and an endpoint port where nothing answers.
    silentAddress = `10.${lab.net}.1.3`;
    const silentProfile = wg.clientProfile
      .replace(`Address = ${wg.clientAddress}/32`, `Address = ${silentAddress}/32`)
      .replace(/^AllowedIPs = .*$/m, `AllowedIPs = 10.${lab.net}.8.1/32`)
      .replace(`:${wg.port}`, `:${wg.port + 7}`);
    const silent = await silentApp.client.call('vpnProfiles.add', { name: 'silent peer', profile: silentProfile });
    const { environments } = await silentApp.client.call('environments.addKubernetes', {
      source: { kind: 'text', text: kube.kubeconfig.replace(`${kube.host}:`, `10.${lab.net}.8.1:`) },
      contexts: [kube.contextName],
      name: 'behind a silent VPN',
      connection: { selected: 'vpn', methods: ['vpn'], vpnProfileId: silent.id },
    });
    process.env.TMPDIR = silentTmp;
    silentResult = silentApp.client.call('environments.testConnection', { id: environments[0]!.id }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    // Wait until the silent tunnel took its folder, then give the main app its own.
    for (const deadline = Date.now() + 30_000; (await readdir(silentTmp)).length === 0; ) {
      if (Date.now() > deadline) throw new Error('the silent tunnel never created its profile folder');
      await new Promise((r) => setTimeout(r, 50));
    }
    process.env.TMPDIR = appTmp;
  }, 60_000);

  afterAll(async () => {
    restoreTmpdir();
    await silentResult;
    if (!appClosed) await app?.close();
    await silentApp?.close();
    await lab?.close();
  }, 60_000);

  it('cannot reach the API server without the tunnel', async () => {
    expect(await probeTcp(kube.host, kube.port, 1_000)).toMatchObject({ healthy: false });
    expect(await interfacesWithAddressIn(`${wg.clientAddress}/32`)).toEqual([]);
    expect(await readdir(appTmp)).toEqual([]);
  });

  it('Auto falls back from Direct to the VPN, says why, and reaches the pods through the tunnel', async () => {
    const profile = await app.client.call('vpnProfiles.add', { name: 'lab wireguard', profile: wg.clientProfile });
    expect(profile).toMatchObject({ kind: 'wireguard', state: 'down' });
    vpnProfileId = profile.id;
    const { environments } = await app.client.call('environments.addKubernetes', {
      source: { kind: 'text', text: kube.kubeconfig },
      contexts: [kube.contextName],
      name: 'auto: direct, then vpn',
      connection: { selected: 'auto', methods: ['direct', 'vpn'], vpnProfileId },
    });
    const env = environments[0]!;
    expect(env.kubernetes?.server).toBe(`https://${kube.host}:${kube.port}`);

    const test = await app.client.call('environments.testConnection', { id: env.id });
    if (test.state !== 'connected') throw new Error(`expected connected, got ${JSON.stringify(test)}`);
    expect(test.method).toBe('vpn');
    expect(test.attempts).toMatchObject([
      { method: 'direct', healthy: false, code: 'UNREACHABLE' },
      { method: 'vpn', healthy: true },
    ]);
    expect(test.attempts[0]?.reason).toContain(`${kube.host}:${kube.port}`);
    expect(test.reason).toMatch(/^Auto chose VPN, fell back after Direct failed \(The API server cannot be reached from this computer: .+\): VPN up; /);
    expect(test.details).toMatchObject({ namespace: 'default', pods: demoPods, serverVersion: expect.stringMatching(/^v1\./) });

    // The Operations Modal header shows the same choice and reason.
    expect(await app.client.call('connections.get', { environmentId: env.id })).toMatchObject({ current: 'vpn', state: 'connected', reason: test.reason });
    expect((await app.client.call('vpnProfiles.list', {})).profiles).toMatchObject([{ id: vpnProfileId, state: 'up' }]);
  });

  it('the selected VPN method connects through the tunnel with a real client-node', async () => {
    const { environments } = await app.client.call('environments.addKubernetes', {
      source: { kind: 'text', text: kube.kubeconfig },
      contexts: [kube.contextName],
      name: 'vpn only',
      connection: { selected: 'vpn', methods: ['vpn'], vpnProfileId },
    });
    const env = environments[0]!;
    const test = await app.client.call('environments.testConnection', { id: env.id });
    if (test.state !== 'connected') throw new Error(`expected connected, got ${JSON.stringify(test)}`);
    expect(test).toMatchObject({ method: 'vpn', attempts: [{ method: 'vpn', healthy: true }], details: { namespace: 'default', pods: demoPods } });
    expect(test.reason).toMatch(new RegExp(`^VPN \\(selected by you\\): VPN up; ${kube.host.replaceAll('.', '\\.')}:${kube.port} accepted a connection`));

    const access = await app.core.runtime.kubernetes(env.id);
    expect(access.method).toBe('vpn');
    const pods = await access.kubeConfig.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default' });
    expect(pods.items.map((p) => p.metadata?.name ?? '').filter((name) => name.startsWith('web-'))).toHaveLength(3);

    // One tunnel for both environments: one interface, one wireguard-go, one private profile folder.
    const interfaces = await interfacesWithAddressIn(`${wg.clientAddress}/32`);
    expect(interfaces).toHaveLength(1);
    iface = interfaces[0] as string;
    expect(iface).toMatch(/^kiwg[0-9a-f]{8}$/);
    expect(await pidsMatching(iface)).toHaveLength(1);
    const folders = await readdir(appTmp);
    expect(folders).toHaveLength(1);
    expect(folders[0]).toMatch(/^kiops-wireguard-/);
  });

  it('app exit (core.close) tears the tunnel down: no process, no interface, no profile file, unreachable again', async () => {
    expect(iface).toBeDefined();
    await app.close();
    appClosed = true;
    expect(await pidsMatching(iface)).toEqual([]);
    expect(existsSync(`/sys/class/net/${iface}`)).toBe(false);
    expect(await interfacesWithAddressIn(`${wg.clientAddress}/32`)).toEqual([]);
    expect(await readdir(appTmp)).toEqual([]);
    expect(await probeTcp(kube.host, kube.port, 1_000)).toMatchObject({ healthy: false });
  });

  it('a VPN whose server never answers fails with VPN_FAILED, "never came up", no key material, nothing left behind', async () => {
    const result = await silentResult;
    if (result instanceof Error || result === undefined) throw result ?? new Error('the silent test never started');
    if (result.state !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result)}`);
    expect(result.method).toBe('vpn');
    expect(result.error.code).toBe('VPN_FAILED');
    expect(result.error.message).toMatch(new RegExp(`^The VPN never came up: no handshake with the peer \\(10\\.${lab.net}\\.0\\.2:${wg.port + 7}\\) within \\d+ s\\.`));
    expect(result.attempts).toMatchObject([{ method: 'vpn', healthy: false, code: 'VPN_FAILED' }]);
    const text = JSON.stringify(result);
    for (const secret of [clientPrivateKey, wg.publicKey]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/PrivateKey|PresharedKey/i);

    expect(await interfacesWithAddressIn(`${silentAddress}/32`)).toEqual([]);
    expect(await readdir(silentTmp)).toEqual([]);
    // Neither app left a VPN process behind (the lab's own server, kws<id>, is still running).
    const labServer = await pidsMatching(`kws${lab.id}`);
    expect(labServer).toHaveLength(1);
    expect((await childProcessesNamed(['wireguard-go', 'openvpn'])).filter((pid) => !labServer.includes(pid))).toEqual([]);
  }, 60_000);
});

/** The same path with an OpenVPN server (peer-fingerprint, no CA) that pushes a route to the API server only. */
describeWithEnvironment(['keyring'], 'the VPN connection method (OpenVPN)', () => {
  const skipReason = vpnLabSkipReason(['openvpn']);
  if (skipReason !== null) {
    it('needs root for network namespaces and openvpn', (context) => context.skip(skipReason));
    return;
  }
  let lab: VpnLab;
  let server: OpenVpnServer;
  let kube: TunnelOnlyKube;
  let app: TestCore;
  let appClosed = false;
  let appTmp: string;
  const savedTmpdir = process.env.TMPDIR;

  beforeAll(async () => {
    lab = await createVpnLab();
    server = await startOpenVpnServer(lab);
    kube = await startTunnelOnlyKube(lab);
    appTmp = await lab.folder('app-tmp');
    app = await startTestCore();
    process.env.TMPDIR = appTmp;
  }, 60_000);

  afterAll(async () => {
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
    if (!appClosed) await app?.close();
    await lab?.close();
  }, 60_000);

  it('Auto falls back from Direct to the OpenVPN tunnel, reaches the pods, and app exit takes the tunnel down', async () => {
    expect(await probeTcp(kube.host, kube.port, 1_000)).toMatchObject({ healthy: false });
    const profile = await app.client.call('vpnProfiles.add', { name: 'lab openvpn', profile: server.clientProfile });
    expect(profile).toMatchObject({ kind: 'openvpn', state: 'down' });
    const { environments } = await app.client.call('environments.addKubernetes', {
      source: { kind: 'text', text: kube.kubeconfig },
      contexts: [kube.contextName],
      name: 'auto over openvpn',
      connection: { selected: 'auto', methods: ['direct', 'vpn'], vpnProfileId: profile.id },
    });
    const test = await app.client.call('environments.testConnection', { id: environments[0]!.id });
    if (test.state !== 'connected') throw new Error(`expected connected, got ${JSON.stringify(test)}`);
    expect(test).toMatchObject({ method: 'vpn', attempts: [{ method: 'direct', healthy: false }, { method: 'vpn', healthy: true }], details: { pods: demoPods } });
    expect(test.reason).toMatch(/^Auto chose VPN, fell back after Direct failed .*: VPN up; /);

    // Every openvpn of the app runs with --config inside its private folder under TMPDIR.
    expect(await interfacesWithAddressIn(server.tunnelNet)).toHaveLength(1);
    expect(await pidsMatching(appTmp)).toHaveLength(1);
    expect(await readdir(appTmp)).toEqual([expect.stringMatching(/^kiops-openvpn-/)]);

    await app.close();
    appClosed = true;
    expect(await pidsMatching(appTmp)).toEqual([]);
    expect(await interfacesWithAddressIn(server.tunnelNet)).toEqual([]);
    expect(await readdir(appTmp)).toEqual([]);
    expect(await probeTcp(kube.host, kube.port, 1_000)).toMatchObject({ healthy: false });
    const labServer = await pidsMatching('kiops-vpn-test-openvpn-server-');
    expect((await childProcessesNamed(['openvpn'])).filter((pid) => !labServer.includes(pid))).toEqual([]);
  });
});
