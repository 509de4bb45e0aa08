import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Temporary folders that hold credentials while a run lasts: the 0600 kubeconfig kubectl gets
 * (`kiops-kubeconfig-<pid>-…`, alone or inside a `kiops-kubectl-…` folder) and the VPN profile a
 * tunnel is started with (`kiops-vpn-<pid>-…`). A crash or `kill -9` skips their cleanup, leaving
 * a bearer token or private key on disk, so at start every such folder whose owning process is
 * gone is removed. Folders of live processes (another app instance, a test) are left alone.
 */
const credentialFolder = /^kiops-(?:kubeconfig|vpn)-(\d+)-/;
const kubectlFolder = /^kiops-kubectl-/;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ownedFolder(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  return info !== null && info.isDirectory() && (process.getuid === undefined || info.uid === process.getuid());
}

async function sweepFolder(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const match = credentialFolder.exec(name);
    if (!match || processAlive(Number(match[1]))) continue;
    const path = join(dir, name);
    if (!(await ownedFolder(path))) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}

/** Removes leftover credential folders under `tempRoot`; returns what it removed. Never throws. */
export async function sweepLeftoverCredentials(tempRoot: string): Promise<string[]> {
  try {
    const removed = await sweepFolder(tempRoot);
    for (const name of await readdir(tempRoot)) {
      if (!kubectlFolder.test(name)) continue;
      const path = join(tempRoot, name);
      if (!(await ownedFolder(path))) continue;
      const inside = await sweepFolder(path);
      removed.push(...inside);
      // the run's own folder goes too once its kubeconfig is gone and nothing else is left
      if (inside.length > 0) await rmdir(path).catch(() => undefined);
    }
    return removed;
  } catch {
    return [];
  }
}
