import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readRegularTextFile } from '../../environments/kubeconfig/read-regular-file.ts';
import type { SshConfigFiles } from './ssh-config.ts';

/** ~/.ssh/config and known_hosts are small; a larger file is not one of them. */
const maxBytes = 1024 * 1024;

/** Reads a user SSH file: null when it does not exist, refused when it is not a small regular file. */
export async function readUserSshFile(path: string): Promise<string | null> {
  const exists = await stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
  );
  if (!exists) return null;
  return readRegularTextFile(path, maxBytes, { code: 'INVALID_INPUT', what: 'SSH file' });
}

export const userSshConfigFiles: SshConfigFiles = {
  read: readUserSshFile,
  list: (folder) => readdir(folder).catch(() => []),
};

export function sshPaths(homeDir: string): { config: string; knownHosts: string } {
  return { config: join(homeDir, '.ssh', 'config'), knownHosts: join(homeDir, '.ssh', 'known_hosts') };
}
