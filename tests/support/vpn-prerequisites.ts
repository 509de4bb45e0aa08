// Root-only VPN suites (network namespaces, TUN devices, openvpn, wireguard-go). Locally a
// missing prerequisite skips the suite with a line naming it; under CI=true (or a strict test
// environment) it fails the run, as the README promises: CI never skips quietly.
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, inject, it } from 'vitest';
import { TEST_ENVIRONMENT_KEY } from '../../scripts/testenv/description.ts';
import { TestEnvironmentUnavailable } from './test-environment.ts';

export type VpnTool = 'ip' | 'openvpn' | 'wireguard-go' | 'wg' | (string & {});

const systemFolders = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function onPath(tool: string): boolean {
  const folders = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...systemFolders];
  return folders.some((folder) => {
    try {
      accessSync(join(folder, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** What the machine lacks for a VPN lab with `tools`, in words; empty when nothing. */
export function missingVpnPrerequisites(tools: readonly VpnTool[]): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (network namespaces and TUN devices)');
  if (!existsSync('/dev/net/tun')) missing.push('/dev/net/tun');
  for (const tool of ['ip', ...tools]) if (!onPath(tool) && !missing.includes(tool)) missing.push(tool);
  return missing;
}

function strict(): boolean {
  if (process.env.CI === 'true') return true;
  try {
    return inject(TEST_ENVIRONMENT_KEY)?.strict === true;
  } catch {
    return false;
  }
}

/**
 * Null when the VPN lab can run; otherwise, locally, the skip message naming what is missing.
 * Under CI it throws instead, which fails the test file.
 */
export function vpnLabSkipReason(tools: readonly VpnTool[]): string | null {
  const missing = missingVpnPrerequisites(tools);
  if (missing.length === 0) return null;
  const message = `the VPN lab needs ${missing.join(', ')}`;
  if (strict()) throw new TestEnvironmentUnavailable(`CI must not skip: ${message}`);
  return `skipped, ${message}`;
}

/** A describe block that runs only where the VPN lab can; otherwise one skipped test says why (or, under CI, the file fails). */
export function describeWithVpnLab(tools: readonly VpnTool[], name: string, body: () => void): void {
  const reason = vpnLabSkipReason(tools);
  if (reason === null) {
    describe(name, body);
    return;
  }
  describe(name, () => {
    it(`needs ${['root', ...tools].join(', ')}`, (context) => context.skip(reason));
  });
}
