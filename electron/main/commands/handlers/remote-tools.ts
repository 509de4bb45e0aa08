import { dirname } from 'node:path';
import type { RuntimeAccess } from '../../connections/runtime-access.ts';
import { block, type BlockDecision } from '../command-decision.ts';

/**
 * On an SSH host, a host tool runs by the absolute path resolved on this machine (never the
 * remote account's PATH). Before its first use on a host, that path and every folder above it
 * are checked there with stat: root-owned and not writable by group or others, as locally.
 * The answer is kept per host and path for the life of the app.
 */
export class RemoteToolCheck {
  private readonly runtime: Pick<RuntimeAccess, 'hostExec'>;
  private readonly verified = new Map<string, Promise<string | null>>();

  constructor(runtime: Pick<RuntimeAccess, 'hostExec'>) {
    this.runtime = runtime;
  }

  /** null when the tool may run; otherwise the refusal. */
  async check(environmentId: string, program: string): Promise<BlockDecision | null> {
    const key = `${environmentId}\0${program}`;
    let pending = this.verified.get(key);
    if (pending === undefined) {
      pending = this.problem(environmentId, program);
      this.verified.set(key, pending);
      // Only a positive answer is kept: a host that could not answer is asked again next time.
      void pending.then((problem) => problem === null || this.verified.delete(key));
    }
    const problem = await pending;
    return problem === null ? null : block('host-command-not-allowed', problem, 'Ask the host administrator to install the tool from the system packages, or select a container.');
  }

  private async problem(environmentId: string, program: string): Promise<string | null> {
    const chain: string[] = [];
    for (let current = program; ; current = dirname(current)) {
      chain.push(current);
      if (current === '/') break;
    }
    for (const stat of ['/usr/bin/stat', '/bin/stat']) {
      const result = await this.runtime.hostExec(environmentId, [stat, '-L', '-c', '%u %a %n', ...chain], { deadlineMs: 10_000, maxOutputBytes: 16_384 }).catch(() => undefined);
      if (result === undefined || result.exitCode !== 0) continue;
      const lines = result.stdout.trim().split('\n');
      if (lines.length !== chain.length) return `"${program}" could not be checked on the host.`;
      for (const line of lines) {
        const [uid, mode, ...name] = line.split(' ');
        if (uid !== '0' || (Number.parseInt(mode ?? '777', 8) & 0o022) !== 0) return `"${name.join(' ')}" on the host is not a root-owned, write-protected file or folder, so "${program}" is not run there.`;
      }
      return null;
    }
    return `"${program}" is not on the host, or the host could not say who owns it.`;
  }
}
