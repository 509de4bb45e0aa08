import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LaunchedProcess, PrivilegedLauncher } from './privileged-launcher.ts';
import { parseWireGuardProfile } from './wireguard-profile.ts';
import { WireGuardTunnel } from './wireguard-tunnel.ts';

// The order of the setup commands with wireguard-go, whose control socket opens a moment after
// its interface: a CI run on a loaded machine once ran `wg setconf` in between, and wg, finding
// no socket, fell back to the kernel's WireGuard and failed with "Protocol not supported".
// The launcher is a fake (pure ordering logic); the real tunnel is in tests/integration/vpn.

const key = 'A'.repeat(43) + '=';
const profileText = ['[Interface]', `PrivateKey = ${key}`, 'Address = 10.9.0.2/32', '', '[Peer]', `PublicKey = ${key}`, 'AllowedIPs = 10.9.0.0/24', 'Endpoint = vpn.example:51820'].join('\n');

/** No kernel module; wireguard-go's socket answers only after `socketAfter` tries of `wg show`. */
function userspaceLauncher(socketAfter: number): PrivilegedLauncher & { ran: string[] } {
  const ran: string[] = [];
  let tries = 0;
  const child: LaunchedProcess = { pid: 4242, exited: new Promise(() => {}), onOutput: () => {}, kill: () => true };
  return {
    kind: 'direct',
    ran,
    spawn: (argv) => {
      ran.push(argv.join(' '));
      return child;
    },
    run: async (argv) => {
      const line = argv.join(' ');
      ran.push(line);
      if (line.startsWith('ip link add')) return { exitCode: 2, stdout: '', stderr: 'Error: Unknown device type.' };
      const noSocket = tries < socketAfter;
      if (line.startsWith('wg show') && !line.endsWith('latest-handshakes')) {
        tries += 1;
        return noSocket ? { exitCode: 1, stdout: '', stderr: 'Unable to access interface: Protocol not supported' } : { exitCode: 0, stdout: `${key}\n`, stderr: '' };
      }
      if (line.startsWith('wg setconf') && noSocket) return { exitCode: 1, stdout: '', stderr: 'Unable to modify interface: Protocol not supported' };
      if (line.endsWith('latest-handshakes')) return { exitCode: 0, stdout: `${key}\t${Math.floor(Date.now() / 1000)}\n`, stderr: '' };
      return { exitCode: 0, stdout: '', stderr: '' };
    },
  };
}

describe('WireGuard through wireguard-go: the keys are applied only once its control socket answers', () => {
  const tempRoot = mkdtempSync(join(tmpdir(), 'kiops-wg-order-'));
  afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

  it.each([0, 1, 5])('comes up when the socket answers after %i failed tries, and runs wg setconf after it answered', async (socketAfter) => {
    const launcher = userspaceLauncher(socketAfter);
    // "lo" exists on every Linux machine, so the wait for the interface itself ends at once.
    const tunnel = new WireGuardTunnel({ profileId: 'p-order', profile: parseWireGuardProfile(profileText), launcher, tempRoot, interfaceName: 'lo', upTimeoutMs: 10_000 });
    await tunnel.up();
    const shows = launcher.ran.filter((line) => line === 'wg show lo public-key');
    expect(shows).toHaveLength(socketAfter + 1);
    const setconf = launcher.ran.findIndex((line) => line.startsWith('wg setconf lo'));
    expect(setconf).toBeGreaterThan(launcher.ran.lastIndexOf('wg show lo public-key'));
    expect(launcher.ran.indexOf('wireguard-go -f lo')).toBeLessThan(setconf);
  });
});
