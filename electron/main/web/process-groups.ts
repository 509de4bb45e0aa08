import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * The process groups this process started: every command, kubectl run, exec credential plugin
 * and VPN helper is spawned `detached`, so each direct child leads its own group and whatever it
 * started sits in that group. Killing those groups when the app goes down (a signal, an
 * uncaught error) leaves no kubectl or container exec behind. Read from /proc, so it also
 * catches children started by code that kept no handle on them; on systems without /proc it
 * finds nothing and the owners' own shutdown paths remain the only cleanup.
 */
export function childProcessGroups(parentPid = process.pid, options: { exceptExecutable?: string } = {}): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const groups = new Set<number>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses, so split after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const pgrp = Number(fields[2]);
    if (ppid !== parentPid || pgrp !== Number(entry)) continue;
    // Electron's own helpers (zygote, GPU, renderers) run the app's executable: not ours to kill
    if (options.exceptExecutable !== undefined && executableOf(entry) === options.exceptExecutable) continue;
    groups.add(pgrp);
  }
  return [...groups];
}

function executableOf(pid: string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

/** Sends `signal` to every child process group; synchronous, so it also works inside an exit path. */
export function killChildProcessGroups(signal: NodeJS.Signals = 'SIGKILL', parentPid = process.pid, options: { exceptExecutable?: string } = {}): number[] {
  const groups = childProcessGroups(parentPid, options);
  for (const group of groups) {
    try {
      process.kill(-group, signal);
    } catch {
      // already gone
    }
  }
  return groups;
}
