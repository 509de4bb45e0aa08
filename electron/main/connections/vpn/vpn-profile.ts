import { rmSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../../shared/errors.ts';
import { parseOpenVpnProfile, type OpenVpnProfile } from './openvpn-profile.ts';
import { parseWireGuardProfile, type WireGuardProfile } from './wireguard-profile.ts';

export { parseOpenVpnProfile, serializeOpenVpnProfile, type OpenVpnProfile } from './openvpn-profile.ts';
export { parseWireGuardProfile, toSetconfText, type WireGuardProfile } from './wireguard-profile.ts';

export type VpnProfile = OpenVpnProfile | WireGuardProfile;
export type VpnKind = VpnProfile['kind'];

/** A WireGuard `.conf` starts its settings with `[Interface]`; anything else is read as OpenVPN. */
export function detectVpnKind(text: string): VpnKind {
  return /^\s*\[Interface\]\s*(#.*)?$/im.test(text) ? 'wireguard' : 'openvpn';
}

/** Parses and checks a profile; throws VPN_PROFILE_INVALID with the line and reason. */
export function parseVpnProfile(text: string): VpnProfile {
  return detectVpnKind(text) === 'wireguard' ? parseWireGuardProfile(text) : parseOpenVpnProfile(text);
}

/** A private folder (0700) for one tunnel: its profile (0600) and management socket live there. */
export interface PrivateFolder {
  readonly path: string;
  /** Writes `content` to a new 0600 file in the folder and returns its path. */
  write(name: string, content: string): Promise<string>;
  /** Removes the folder and everything in it. Safe to call twice. */
  dispose(): Promise<void>;
  /** The same, synchronously, for a process 'exit' handler. */
  disposeSync(): void;
}

/**
 * The profile is a secret (it holds private keys): it exists on disk only while its VPN
 * process runs, readable by the owner alone, and the folder goes when the tunnel goes down
 * or the app exits.
 */
export async function createPrivateFolder(parent: string, prefix = 'kiops-vpn-'): Promise<PrivateFolder> {
  const path = await mkdtemp(join(parent, `${prefix}${process.pid}-`));
  await chmod(path, 0o700);
  let disposed = false;
  return {
    path,
    async write(name, content) {
      if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new AppError('INTERNAL', `Bad private file name ${JSON.stringify(name)}.`, undefined, { key: 'connections.vpn.badFileName', params: { name: JSON.stringify(name) } });
      const file = join(path, name);
      await writeFile(file, content, { mode: 0o600, flag: 'wx' });
      return file;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await rm(path, { recursive: true, force: true });
    },
    disposeSync() {
      if (disposed) return;
      disposed = true;
      rmSync(path, { recursive: true, force: true });
    },
  };
}
