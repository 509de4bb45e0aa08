import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { unavailableVpnGateway } from '../../electron/main/connections/vpn-gateway.ts';
import { parseOpenVpnProfile } from '../../electron/main/connections/vpn/openvpn-profile.ts';
import { createPrivilegedLauncher, launcherRefusal, resolveProgram, type PrivilegedLauncher } from '../../electron/main/connections/vpn/privileged-launcher.ts';
import { parseWireGuardProfile } from '../../electron/main/connections/vpn/wireguard-profile.ts';
import { WireGuardTunnel } from '../../electron/main/connections/vpn/wireguard-tunnel.ts';
import { expectShownInBothLanguages } from '../../renderer/src/i18n/main-error-test-support.ts';

// Refused VPN profiles (every check of the OpenVPN and WireGuard parsers), the launcher and a
// WireGuard tunnel that never comes up, shown in a Korean and an English window.

function refusal(parse: (text: string) => unknown, text: string): AppError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`the profile was accepted:\n${text}`);
}

const shown = (error: AppError) => expectShownInBothLanguages(error, 'connections.vpn.');

const openVpnBase = ['client', 'route-nopull', 'dev tun', 'remote vpn.example.com 1194', '<ca>\nfake\n</ca>'];
const openVpn = (...extra: string[]) => [...openVpnBase, ...extra].join('\n');

const openVpnRefusals: [string, string][] = [
  ['managementDirective', openVpn('management 127.0.0.1 7505')],
  ['runsCode', openVpn('up "/etc/openvpn/up ä.sh"')],
  ['setByApp', openVpn('log /tmp/x')],
  ['scriptSecurity', openVpn('script-security 2')],
  ['scriptSecurity', openVpn('script-security')],
  ['promptsPassword', openVpn('auth-user-pass')],
  ['fileReference', openVpn('cert "/home/운영자/my cert.crt"')],
  ['nestedConnection', openVpn('<connection>\nconnection\n</connection>')],
  ['blockNotInline', openVpn('<foo>\n</foo>')],
  ['blockNotClosed', openVpn('<tls-auth>\nabc')],
  ['strayClose', openVpn('</key>')],
  ['quoteNotClosed', openVpn('remote "vpn ä')],
  ['notDirective', openVpn('$ä-weird')],
  ['tooLarge', openVpn(`# ${'x'.repeat(1024 * 1024)}`)],
  ['nulByte', openVpn('verb 3\0')],
  ['noRemote', 'client\nroute-nopull'],
  ['serverProfile', 'server 10.8.0.0 255.255.255.0\nremote x 1194'],
  ['notNetmask', openVpn('route 10.0.0.0 255.0.255.0')],
  ['notIpv4Network', openVpn('route 10.0.0.300 255.0.0.0')],
  ['notIpv6Prefix', openVpn('route-ipv6 zz::/999')],
  ['redirectGateway', openVpn('redirect-gateway def1 bypass-dhcp')],
  ['redirectGateway', openVpn('redirect-gateway')],
  ['pullsRoutes', 'client\nremote vpn.example.com 1194'],
  ['routesAll', openVpn('route 0.0.0.0 128.0.0.0', 'route 128.0.0.0 128.0.0.0')],
  ['routesTooBroad', openVpn('route 10.0.0.0 128.0.0.0')],
  ['routesAll', openVpn('route-ipv6 ::/0')],
];

const key = 'A'.repeat(43) + '=';
const interfaceLines = ['[Interface]', `PrivateKey = ${key}`, 'Address = 10.9.0.2/32'];
const peerLines = ['[Peer]', `PublicKey = ${key}`, 'AllowedIPs = 10.9.0.0/24', 'Endpoint = vpn.example:51820'];
const wireGuard = (iface: string[] = [], peer: string[] = []) => [...interfaceLines, ...iface, '', ...peerLines, ...peer].join('\n');

const wireGuardRefusals: [string, string][] = [
  ['notKey', wireGuard([], ['PresharedKey = not-a-key ä'])],
  ['notCidr', wireGuard([], ['AllowedIPs = 10.0.0.0/99'])],
  ['notCidr', wireGuard(['Address = 운영'])],
  ['notPort', wireGuard(['ListenPort = 99999'])],
  ['endpointPort', ['[Interface]', `PrivateKey = ${key}`, '[Peer]', `PublicKey = ${key}`, 'Endpoint = vpn.example:0'].join('\n')],
  ['endpointFormat', ['[Interface]', `PrivateKey = ${key}`, '[Peer]', `PublicKey = ${key}`, 'Endpoint = vpn ä'].join('\n')],
  ['notSection', `[Tunnel]\n${wireGuard()}`],
  ['expectedPair', wireGuard(['just words'])],
  ['outsideSection', `MTU = 1400\n${wireGuard()}`],
  ['hook', wireGuard(['PostUp = iptables -A FORWARD'])],
  ['unknownSetting', wireGuard([], ['Colour = blue'])],
  ['repeated', wireGuard(['MTU = 1400', 'MTU = 1380'])],
  ['peerNoPublicKey', ['[Interface]', `PrivateKey = ${key}`, '[Peer]', 'AllowedIPs = 10.9.0.0/24'].join('\n')],
  ['keepalive', wireGuard([], ['PersistentKeepalive = soon'])],
  ['noPrivateKey', ['[Interface]', 'Address = 10.9.0.2/32', ...peerLines].join('\n')],
  ['fwMark', wireGuard(['FwMark = mark ä'])],
  ['mtu', wireGuard(['MTU = 10'])],
  ['table', wireGuard(['Table = 운영'])],
  ['tooLarge', wireGuard([`# ${'x'.repeat(256 * 1024)}`])],
  ['interfaceCount', peerLines.join('\n')],
  ['interfaceCount', `${wireGuard()}\n${interfaceLines.join('\n')}`],
  ['noPeer', interfaceLines.join('\n')],
  ['routesAll', wireGuard([], ['AllowedIPs = 0.0.0.0/0'])],
  ['routesTooBroad', wireGuard([], ['AllowedIPs = 10.0.0.0/1'])],
];

describe('refused VPN profiles in both languages', () => {
  it.each(openVpnRefusals)('OpenVPN: %s', (name, text) => {
    const error = refusal(parseOpenVpnProfile, text);
    expect(error.text?.key).toBe(`connections.vpn.openvpn.${name}`);
    shown(error);
  });

  it.each(wireGuardRefusals)('WireGuard: %s', (name, text) => {
    const error = refusal(parseWireGuardProfile, text);
    expect(error.text?.key).toBe(`connections.vpn.wireguard.${name}`);
    shown(error);
  });
});

describe('the VPN launcher in both languages', () => {
  it.each(['darwin', 'win32'] as const)('no privileged helper on %s', (platform) => {
    expect(() => createPrivilegedLauncher({ kind: 'sudo', platform })).toThrow(AppError);
    try {
      createPrivilegedLauncher({ kind: 'sudo', platform });
    } catch (error) {
      shown(error as AppError);
    }
  });

  it('a missing program, sudo and pkexec refusing, a gateway without VPNs', async () => {
    try {
      resolveProgram('wg-ä', '/nonexistent dir/bin');
      expect.unreachable();
    } catch (error) {
      shown(error as AppError);
    }
    shown(launcherRefusal('sudo', { code: 1, signal: null }, 'sudo: a password is required') as AppError);
    shown(launcherRefusal('pkexec', { code: 126, signal: null }, '') as AppError);
    const refused = await unavailableVpnGateway('The program "openvpn" is not installed (looked in /usr/sbin).').bringUp('profile ä').catch((error: unknown) => error);
    shown(refused as AppError);
    // on a platform without a privileged helper, each attempt says so with the launcher's own key
    let noHelper: unknown;
    try {
      createPrivilegedLauncher({ kind: 'pkexec', platform: 'darwin' });
    } catch (error) {
      noHelper = error;
    }
    const onMac = (await unavailableVpnGateway(noHelper as AppError).bringUp('profile ä').catch((error: unknown) => error)) as AppError;
    expect(onMac.text?.key).toBe('connections.vpn.launcher.platform');
    expect(onMac.message).toBe((noHelper as AppError).message);
    shown(onMac);
  });
});

describe('a WireGuard tunnel that never comes up, in both languages', () => {
  const tempRoot = mkdtempSync(join(tmpdir(), 'kiops-keyed-wg-'));
  afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

  /** A launcher whose one failing command (matched by its start) exits 1 with `stderr`; the rest succeed, printing nothing. */
  function launcherFailing(prefix: string, stderr: string): PrivilegedLauncher {
    return {
      kind: 'direct',
      spawn: () => {
        throw new Error('the kernel interface is used; nothing is spawned');
      },
      run: async (argv) => {
        const failing = argv.join(' ').startsWith(prefix);
        const handshakes = argv.includes('latest-handshakes');
        return { exitCode: failing || handshakes ? 1 : 0, stdout: '', stderr: failing ? stderr : '' };
      },
    };
  }

  it.each([
    ['applyConfig', 'wg setconf', 'Line unrecognized: `Colour=blue`'],
    ['addAddress', 'ip -4 address add', 'RTNETLINK answers: File exists ä'],
    ['linkUp', 'ip link set', ''],
    ['route', 'ip -4 route add', 'RTNETLINK answers: Network is unreachable'],
    ['noHandshake', 'never', ''],
  ])('%s', async (name, prefix, stderr) => {
    const profile = parseWireGuardProfile(wireGuard());
    const tunnel = new WireGuardTunnel({ profileId: 'p-1', profile, launcher: launcherFailing(prefix, stderr), tempRoot, interfaceName: 'kiops-t1', upTimeoutMs: 300 });
    const error = await tunnel.up().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).text?.key).toBe(`connections.vpn.wireguardNotUp.${name}`);
    shown(error as AppError);
  });
});
