import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrivilegedLauncher } from '../../../electron/main/connections/vpn/privileged-launcher.ts';
import { VpnManager, vpnProfileKey, type VpnStateEvent } from '../../../electron/main/connections/vpn/vpn-manager.ts';
import { describeWithVpnLab } from '../../support/vpn-prerequisites.ts';
import { AppProcess, eventually } from './support/app-process.ts';
import { createVpnLab, interfacesWithAddressIn, pidsMatching, readBanner, type VpnLab } from './support/vpn-lab.ts';
import { startWireGuardServer, type WireGuardServer } from './support/wireguard-peer.ts';

describeWithVpnLab(['wireguard-go', 'wg'], 'WireGuard through wireguard-go', () => {
  let lab: VpnLab;
  let server: WireGuardServer;
  let manager: VpnManager;
  let tempRoot: string;
  // The manager only reads profiles; the keychain itself has its own integration tests.
  const profiles = new Map<string, string>();
  const secrets = { get: async (key: string) => profiles.get(key) ?? null, set: async (key: string, value: string) => void profiles.set(key, value) };
  const events: VpnStateEvent[] = [];

  beforeAll(async () => {
    lab = await createVpnLab();
    server = await startWireGuardServer(lab);
    tempRoot = await lab.folder('app');
    await secrets.set(vpnProfileKey('lab'), server.clientProfile);
    await secrets.set(vpnProfileKey('silent'), server.silentProfile);
    manager = new VpnManager({ secrets, launcher: createPrivilegedLauncher({ kind: 'direct' }), tempRoot, upTimeoutMs: 4_000 });
    manager.onState((e) => events.push(e));
  }, 30_000);

  afterAll(async () => {
    await manager?.tearDownAll();
    manager?.dispose();
    await lab?.close();
  }, 30_000);

  it('reaches a target only through the tunnel, then tears everything down', async () => {
    await expect(readBanner(lab.target.host, lab.target.port)).rejects.toThrow();
    expect(await manager.probe(lab.target.host, lab.target.port, 1_000)).toMatchObject({ healthy: false });

    await manager.bringUp('lab');
    expect(manager.state('lab')).toBe('up');
    expect(await readBanner(lab.target.host, lab.target.port)).toBe(lab.target.banner);
    expect(await manager.probe(lab.target.host, lab.target.port, 20_000, 'lab')).toMatchObject({ healthy: true });

    const [iface] = await interfacesWithAddressIn(`${server.clientAddress}/32`);
    expect(iface).toMatch(/^kiwg[0-9a-f]{8}$/);
    expect(await pidsMatching(iface as string)).toHaveLength(1);
    // The profile exists on disk only while the tunnel runs, readable by its owner alone.
    const [folder] = await readdir(tempRoot);
    expect(folder).toMatch(/^kiops-wireguard-/);

    await manager.tearDown('lab');
    expect(manager.state('lab')).toBe('down');
    await expect(readBanner(lab.target.host, lab.target.port, 1_000)).rejects.toThrow();
    expect(await manager.probe(lab.target.host, lab.target.port, 1_000, 'lab')).toMatchObject({ healthy: false });
    expect(await interfacesWithAddressIn(`${server.clientAddress}/32`)).toEqual([]);
    expect(await pidsMatching(iface as string)).toEqual([]);
    expect(await readdir(tempRoot)).toEqual([]);
    expect(events.filter((e) => e.profileId === 'lab').map((e) => e.state)).toEqual(['connecting', 'up', 'down']);
  });

  it('says the VPN never came up when the peer does not answer, naming the timeout, and leaves nothing behind', async () => {
    const error = await manager.bringUp('silent').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VPN_FAILED' });
    expect((error as Error).message).toMatch(/never came up: no handshake with the peer \(10\.\d+\.0\.2:51827\) within 4 s/);
    expect((error as Error).message).not.toContain(server.publicKey);
    expect(manager.state('silent')).toBe('failed');
    expect(events.filter((e) => e.profileId === 'silent').at(-1)).toMatchObject({ state: 'failed', reason: expect.stringContaining('never came up') });
    expect(await interfacesWithAddressIn(`${server.clientAddress}/32`)).toEqual([]);
    expect(await pidsMatching('kiwg')).toEqual([]);
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it('takes the tunnel down with the app when the app dies of an uncaught error', async () => {
    const app = await AppProcess.bringUp(tempRoot, server.clientProfile);
    expect(await readBanner(lab.target.host, lab.target.port)).toBe(lab.target.banner);
    const [iface] = await interfacesWithAddressIn(`${server.clientAddress}/32`);
    expect(await app.end('throw')).not.toBe(0);

    expect(await eventually(async () => (await interfacesWithAddressIn(`${server.clientAddress}/32`)).length === 0)).toBe(true);
    expect(await eventually(async () => (await pidsMatching(iface as string)).length === 0)).toBe(true);
    expect(await readdir(tempRoot)).toEqual([]);
    await expect(readBanner(lab.target.host, lab.target.port, 1_000)).rejects.toThrow();
  });

  it('refuses a profile with a PostUp hook before starting anything', async () => {
    await secrets.set(vpnProfileKey('hook'), server.clientProfile.replace('DNS =', 'PostUp = touch /tmp/pwned\nDNS ='));
    await expect(manager.bringUp('hook')).rejects.toMatchObject({ code: 'VPN_PROFILE_INVALID', message: expect.stringContaining('PostUp is not allowed') });
    expect(await readdir(tempRoot)).toEqual([]);
  });
});
