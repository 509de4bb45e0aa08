import type { RuntimeAccess } from '../../connections/runtime-access.ts';
import { ContainerExecGuard, engineExecOf, killGroupHere, type KillGroupOnEngineHost } from '../container-exec.ts';
import type { CommandPlace } from './command-places.ts';

/**
 * For an `ENGINE exec` run: a guard that kills the exec's process group on the engine's host
 * when the run is cut short (see container-exec.ts). Local engines: this machine; engines reached
 * over SSH: `kill -KILL -PID` on that host. Undefined for every other command.
 */
export async function guardContainerExec(runtime: Pick<RuntimeAccess, 'engine' | 'hostExec'>, place: CommandPlace, argv: readonly string[]): Promise<ContainerExecGuard | undefined> {
  if (place.runtime !== 'engine' || engineExecOf(argv) === undefined) return undefined;
  const { docker } = await runtime.engine(place.env.id);
  const kill: KillGroupOnEngineHost = place.remoteHost === null ? killGroupHere : (pid) => killGroupOverSsh(runtime, place.env.id, pid);
  return ContainerExecGuard.before(docker, argv, kill);
}

async function killGroupOverSsh(runtime: Pick<RuntimeAccess, 'hostExec'>, environmentId: string, pid: number): Promise<boolean> {
  try {
    // kill exits 0 when the group got the signal; a group already gone is fine too. No `--`:
    // dash's kill (Debian's sh) takes `-PID` after the signal but refuses `--`.
    const result = await runtime.hostExec(environmentId, ['sh', '-c', 'kill -KILL -"$1" 2>/dev/null || ! kill -0 -"$1" 2>/dev/null', 'kiops', String(pid)], { deadlineMs: 10_000, maxOutputBytes: 4096 });
    return result.exitCode === 0;
  } catch {
    return false;
  }
}
