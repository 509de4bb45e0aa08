import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.ts';
import { createPrivilegedLauncher } from '../../../electron/main/connections/vpn/privileged-launcher.ts';
import { VpnManager, vpnProfileKey, type VpnStateEvent } from '../../../electron/main/connections/vpn/vpn-manager.ts';
import { describeWithVpnLab } from '../../support/vpn-prerequisites.ts';
import { AppProcess, eventually } from './support/app-process.ts';
import { startOpenVpnServer, type OpenVpnServer } from './support/openvpn-server.ts';
import { createVpnLab, interfacesWithAddressIn, pidsMatching, readBanner, type VpnLab } from './support/vpn-lab.ts';

describeWithVpnLab(['openvpn'], 'OpenVPN with a management interface', () => {
  let lab: VpnLab;
  let server: OpenVpnServer;
  let manager: VpnManager;
  let tempRoot: string;
  // The manager only reads profiles; the keychain itself has its own integration tests.
  const profiles = new Map<string, string>();
  const secrets = { get: async (key: string) => profiles.get(key) ?? null };
  const events: VpnStateEvent[] = [];

  beforeAll(async () => {
    lab = await createVpnLab();
    server = await startOpenVpnServer(lab);
    tempRoot = await lab.folder('app');
    profiles.set(vpnProfileKey('lab'), server.clientProfile);
    profiles.set(vpnProfileKey('silent'), server.silentProfile);
    manager = new VpnManager({ secrets, launcher: createPrivilegedLauncher({ kind: 'direct' }), tempRoot, upTimeoutMs: 8_000 });
    manager.onState((e) => events.push(e));
  }, 30_000);

  afterAll(async () => {
    await manager?.tearDownAll();
    manager?.dispose();
    await lab?.close();
  }, 30_000);

  it('reaches a target only through the tunnel, then tears everything down', async () => {
    await expect(readBanner(lab.target.host, lab.target.port)).rejects.toThrow();

    await manager.bringUp('lab');
    expect(manager.state('lab')).toBe('up');
    expect(await readBanner(lab.target.host, lab.target.port)).toBe(lab.target.banner);
    expect(await manager.probe(lab.target.host, lab.target.port, 20_000, 'lab')).toMatchObject({ healthy: true });

    const interfaces = await interfacesWithAddressIn(server.tunnelNet);
    expect(interfaces).toHaveLength(1);
    // Every openvpn of ours is started with --config inside tempRoot.
    expect(await pidsMatching(tempRoot)).toHaveLength(1);
    const [folder] = await readdir(tempRoot);
    expect(folder).toMatch(/^kiops-openvpn-/);

    await manager.tearDown('lab');
    expect(manager.state('lab')).toBe('down');
    await expect(readBanner(lab.target.host, lab.target.port, 1_000)).rejects.toThrow();
    expect(await manager.probe(lab.target.host, lab.target.port, 1_000, 'lab')).toMatchObject({ healthy: false });
    expect(await interfacesWithAddressIn(server.tunnelNet)).toEqual([]);
    expect(await pidsMatching(tempRoot)).toEqual([]);
    expect(await readdir(tempRoot)).toEqual([]);
    expect(events.filter((e) => e.profileId === 'lab').map((e) => e.state)).toEqual(['connecting', 'up', 'down']);
  });

  it('says the VPN never came up when the server does not answer, with a scrubbed log tail', async () => {
    const error = await manager.bringUp('silent').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VPN_FAILED' });
    const message = (error as Error).message;
    expect(message).toMatch(/The VPN never came up: OpenVPN did not connect within 8 s\. Last lines of the OpenVPN log:\n/);
    expect(message).not.toContain('BEGIN');
    expect(message).not.toContain(server.clientKey.split('\n')[1]);
    // a Korean window renders it from its key; the scrubbed log tail is its detail
    expect(error).toBeInstanceOf(AppError);
    const body = (error as AppError).toBody();
    expect(body).toMatchObject({ messageKey: 'connections.vpn.openvpnNotUp.connectTimeout', params: { seconds: 8 } });
    expect(message).toContain(String(body.params?.['detail']));
    expect(manager.state('silent')).toBe('failed');
    expect(await pidsMatching(tempRoot)).toEqual([]);
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it('takes the tunnel down with the app when the app calls process.exit', async () => {
    const app = await AppProcess.bringUp(tempRoot, server.clientProfile);
    expect(await readBanner(lab.target.host, lab.target.port)).toBe(lab.target.banner);
    expect(await app.end('exit')).toBe(0);

    expect(await eventually(async () => (await pidsMatching(tempRoot)).length === 0)).toBe(true);
    expect(await eventually(async () => (await interfacesWithAddressIn(server.tunnelNet)).length === 0)).toBe(true);
    expect(await readdir(tempRoot)).toEqual([]);
    await expect(readBanner(lab.target.host, lab.target.port, 1_000)).rejects.toThrow();
  });

  it('takes the tunnel down even when the app is killed outright (SIGKILL)', async () => {
    const app = await AppProcess.bringUp(tempRoot, server.clientProfile);
    expect(await readBanner(lab.target.host, lab.target.port)).toBe(lab.target.banner);
    await app.kill();

    // Nothing in the app runs after SIGKILL: OpenVPN itself drops the tunnel when the management link closes.
    expect(await eventually(async () => (await interfacesWithAddressIn(server.tunnelNet)).length === 0)).toBe(true);
    await expect(readBanner(lab.target.host, lab.target.port, 1_000)).rejects.toThrow();
    // What is left (an idle openvpn waiting in its hold, the private folder) is removed here.
    for (const pid of await pidsMatching(tempRoot)) process.kill(pid, 'SIGKILL');
    await eventually(async () => (await pidsMatching(tempRoot)).length === 0);
    for (const entry of await readdir(tempRoot)) await rm(join(tempRoot, entry), { recursive: true, force: true });
  });

  it('refuses a profile that would run a script as root', async () => {
    profiles.set(vpnProfileKey('script'), server.clientProfile.replace('nobind', 'nobind\nscript-security 2\nup /tmp/pwn.sh'));
    await expect(manager.bringUp('script')).rejects.toMatchObject({ code: 'VPN_PROFILE_INVALID' });
    expect(await readdir(tempRoot)).toEqual([]);
  });
});
