import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runTool } from './daemon-process.ts';

// Everything an environment starts is tied to its folder: daemons carry it in their arguments
// or run with their cwd in it, and container processes have their root filesystem in it. That
// makes "every process of this folder" a precise set to kill, whatever crashed in between.

export const ENVIRONMENT_PREFIX = 'kiops-testenv-';
const OWNER_FILE = 'owner.json';

function within(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}/`);
}

function readProc(pid: string, entry: string): string | null {
  try {
    return entry === 'cmdline' || entry === 'stat' ? readFileSync(`/proc/${pid}/${entry}`, 'utf8') : readlinkSync(`/proc/${pid}/${entry}`);
  } catch {
    return null;
  }
}

/** Alive and not a zombie: this machine's init is slow to reap, and a zombie must not count as running. */
export function isAlive(pid: number): boolean {
  const stat = readProc(String(pid), 'stat');
  if (stat === null) return false;
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X' && state !== '';
}

const OWN_MOUNT_NAMESPACE = readProc('self', 'ns/mnt');

/**
 * A container process lives in its own mount namespace, where /proc/<pid>/root reads "/". Its
 * mountinfo shows what "/" really is: the root field of the "/" mount is the rootfs folder that
 * docker or podman made inside our folder.
 */
function rootFilesystemWithin(pid: string, folder: string): boolean {
  if (readProc(pid, 'ns/mnt') === OWN_MOUNT_NAMESPACE) return false;
  try {
    for (const line of readFileSync(`/proc/${pid}/mountinfo`, 'utf8').split('\n')) {
      const fields = line.split(' ');
      if (fields[4] === '/' && fields[3] !== undefined && within(unescapeMountPath(fields[3]), folder)) return true;
    }
  } catch {
    // gone meanwhile
  }
  return false;
}

export function belongsToFolder(pid: number, folder: string): boolean {
  const id = String(pid);
  const cmdline = readProc(id, 'cmdline');
  if (cmdline === null) return false;
  if (cmdline.split('\0').some((argument) => argument.includes(folder))) return true;
  const cwd = readProc(id, 'cwd');
  return (cwd !== null && within(cwd, folder)) || rootFilesystemWithin(id, folder);
}

export function processesOfFolder(folder: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid || !isAlive(pid)) continue;
    if (belongsToFolder(pid, folder)) found.push(pid);
  }
  return found;
}

function signal(target: number, name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch {
    // already gone
  }
}

async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * SIGTERM the daemon's process group, SIGKILL it after `graceMs`. Checks first that the pid still
 * belongs to the folder, so a recycled pid (after a reboot, a long-forgotten `up`) is never hit.
 */
export async function stopProcessGroup(pid: number, folder: string, graceMs: number): Promise<void> {
  if (!isAlive(pid) || !belongsToFolder(pid, folder)) return;
  signal(-pid, 'SIGTERM');
  signal(pid, 'SIGTERM');
  if (await waitUntilGone([pid], graceMs)) return;
  signal(-pid, 'SIGKILL');
  signal(pid, 'SIGKILL');
  await waitUntilGone([pid], 2_000);
}

/** Synchronous, for a process 'exit' handler, where nothing asynchronous runs any more. */
export function killFolderProcessesNow(folder: string): void {
  for (const pid of processesOfFolder(folder)) signal(pid, 'SIGKILL');
}

export async function killFolderProcesses(folder: string): Promise<void> {
  for (let round = 0; round < 3; round += 1) {
    const pids = processesOfFolder(folder);
    if (pids.length === 0) return;
    for (const pid of pids) signal(pid, 'SIGKILL');
    await waitUntilGone(pids, 3_000);
  }
}

function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_match, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function mountsUnder(folder: string): string[] {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => point !== undefined)
    .map(unescapeMountPath)
    .filter((point) => within(point, folder));
  return [...new Set(mounts)].sort((a, b) => b.length - a.length);
}

/**
 * Kill leftovers, lazily unmount what a killed dockerd/podman left mounted (shm, netns, its own
 * bind mount of the data root), and only then delete: deleting through a live bind mount could
 * reach files outside the folder.
 */
export async function removeEnvironmentFolder(folder: string): Promise<void> {
  if (!existsSync(folder)) return;
  await killFolderProcesses(folder);
  for (const point of mountsUnder(folder)) {
    await runTool('umount', ['-l', point], { timeoutMs: 10_000 }).catch(() => undefined);
  }
  const remaining = mountsUnder(folder);
  if (remaining.length > 0) throw new Error(`refusing to delete ${folder}: still mounted: ${remaining.join(', ')}`);
  rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

interface Owner {
  /** "test-run": dies with its owner process; "cli": kept until `cli.ts down`. */
  kind: 'test-run' | 'cli';
  pid: number;
  /** Start time of the owner in clock ticks since boot (field 22 of /proc/pid/stat), to tell a recycled pid apart. */
  startTicks: string;
}

function startTicks(pid: number): string | null {
  const stat = readProc(String(pid), 'stat');
  if (stat === null) return null;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

export function writeOwner(folder: string, kind: Owner['kind']): void {
  const owner: Owner = { kind, pid: process.pid, startTicks: startTicks(process.pid) ?? '' };
  writeFileSync(join(folder, OWNER_FILE), JSON.stringify(owner));
}

function ownerIsGone(folder: string): boolean {
  try {
    const owner = JSON.parse(readFileSync(join(folder, OWNER_FILE), 'utf8')) as Owner;
    if (owner.kind === 'cli') return false;
    return !isAlive(owner.pid) || startTicks(owner.pid) !== owner.startTicks;
  } catch {
    return false;
  }
}

/**
 * Environments whose test run died without its teardown (killed runner, Ctrl-C twice) are
 * removed before a new one starts, so leftovers never pile up or disturb the next run.
 * Environments of live runs (other engineers' parallel runs) are left alone.
 */
export async function removeAbandonedEnvironments(parent: string): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of readdirSync(parent)) {
    if (!entry.startsWith(ENVIRONMENT_PREFIX)) continue;
    const folder = join(parent, entry);
    if (!ownerIsGone(folder)) continue;
    await removeEnvironmentFolder(folder);
    removed.push(folder);
  }
  return removed;
}
