import type Dockerode from 'dockerode';
import { within } from '../connections/within.ts';

/**
 * What an `ENGINE exec` run started inside a container, and how to end it there.
 *
 * Killing the docker/podman CLI (or the SSH channel it runs in) leaves the exec'd program
 * running in the container: the engine has no API to kill an exec. But both engines start each
 * exec as its own session and process-group leader (runc and crun call setsid), and exec inspect
 * reports that leader's pid on the engine's host. So the runner notes which execs the container
 * already had before the CLI starts, finds the new one with our argv right after, and at a
 * deadline, an output limit, a Stop or a lost link kills that group on the engine's host.
 * A process that calls setsid() itself inside the container leaves the group and survives.
 */
export interface EngineExec {
  readonly container: string;
  /** The program and its arguments as the engine records them (entrypoint + arguments). */
  readonly cmd: readonly string[];
}

/** Reads `[engine, --host=…, exec, --flag=v…, CONTAINER, CMD…]` as the policy renders it. */
export function engineExecOf(argv: readonly string[]): EngineExec | undefined {
  const at = argv.indexOf('exec');
  if (at < 1 || at > 2 || !(argv[0] === 'docker' || argv[0] === 'podman')) return undefined;
  let index = at + 1;
  while (index < argv.length && (argv[index] ?? '').startsWith('-')) {
    index += 1;
    if (argv[index - 1] === '--') break;
  }
  const container = argv[index];
  const cmd = argv.slice(index + 1);
  if (container === undefined || cmd.length === 0) return undefined;
  return { container, cmd };
}

/** Kills a process group on the machine the engine runs on; true when it is gone afterwards. */
export type KillGroupOnEngineHost = (pid: number) => Promise<boolean>;

export type ExecCleanup = 'ended-by-itself' | 'killed' | 'not-found' | 'kill-failed' | 'pending';

interface ExecInfo {
  readonly id: string;
  readonly running: boolean;
  readonly pid: number;
  readonly cmd: readonly string[];
}

// Exec ids some run already owns, so two runs of the same line never take the same exec.
const claimed = new Set<string>();
const lookAgainMs = 150;
const findForMs = 10_000;
const retryForMs = 120_000;
const retryEveryMs = 1_000;
/**
 * How long the guard may hold a run's answer. The engine's own request deadline is 20 s, and the
 * guard asks it several things in a row: on an engine slow to answer about one container, a 30 s
 * one-shot run would otherwise answer after 90 s or more. Past this the guard keeps working in the
 * background and the run answers as the operator expects.
 */
export const guardAnswerWithinMs = 5_000;

export class ContainerExecGuard {
  private readonly docker: Dockerode;
  private readonly exec: EngineExec;
  private readonly killGroup: KillGroupOnEngineHost;
  private readonly before: ReadonlySet<string>;
  private readonly answerWithinMs: number;
  private found: ExecInfo | undefined;
  private finding: Promise<void> | undefined;
  private ended = false;

  private constructor(docker: Dockerode, exec: EngineExec, killGroup: KillGroupOnEngineHost, before: ReadonlySet<string>, answerWithinMs: number) {
    this.docker = docker;
    this.exec = exec;
    this.killGroup = killGroup;
    this.before = before;
    this.answerWithinMs = answerWithinMs;
  }

  /** Notes the container's execs before the CLI starts; undefined when argv is not an exec. */
  static async before(docker: Dockerode, argv: readonly string[], killGroup: KillGroupOnEngineHost, answerWithinMs = guardAnswerWithinMs): Promise<ContainerExecGuard | undefined> {
    const exec = engineExecOf(argv);
    if (exec === undefined) return undefined;
    // An engine that cannot list the container's execs in time: the run starts anyway, and an
    // older exec with the very same command line could be taken for this run's.
    const ids = await within(execIds(docker, exec.container).catch(() => []), answerWithinMs, []);
    return new ContainerExecGuard(docker, exec, killGroup, new Set(ids), answerWithinMs);
  }

  /** Starts looking for the exec the CLI creates (call right after the CLI was spawned). */
  started(): void {
    this.finding ??= this.find(Date.now() + findForMs);
  }

  /**
   * After the CLI ended: when the run was cut (deadline, limit, Stop), kill the exec's group on
   * the engine's host and report what happened; a run that ended by itself is left alone. After a
   * lost link the engine may be out of reach for a while: the kill is retried in the background
   * until it lands or `retryForMs` passes, and the answer is 'pending'. So is it when the engine
   * takes longer than `answerWithinMs` to answer: the kill goes on without holding the run back.
   */
  async end(cutShort: boolean, linkLost = false): Promise<ExecCleanup> {
    this.ended = true;
    if (!cutShort) {
      this.release();
      return 'ended-by-itself';
    }
    const until = Date.now() + retryForMs;
    const killing = linkLost ? this.killUntilDone(until).then(() => 'pending' as const) : this.killOnce().catch(() => 'kill-failed' as const);
    const outcome = linkLost ? 'pending' : await within(killing, this.answerWithinMs, 'pending' as const);
    if (outcome !== 'pending') {
      this.release();
      return outcome;
    }
    void killing
      .then((first) => (first === 'kill-failed' ? this.killUntilDone(until) : undefined))
      .finally(() => this.release());
    return 'pending';
  }

  private async killOnce(): Promise<Exclude<ExecCleanup, 'pending'>> {
    // The CLI may have been killed while the engine was still starting the exec: look once more.
    if (this.found === undefined) await this.lookOnce();
    if (this.found === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await this.lookOnce();
    }
    const exec = this.found;
    if (exec === undefined) return 'not-found';
    const now = await inspectExec(this.docker, exec.id).catch(() => undefined);
    if (now !== undefined && !now.running) return 'ended-by-itself';
    return (await this.killGroup(exec.pid)) ? 'killed' : 'kill-failed';
  }

  private async killUntilDone(until: number): Promise<void> {
    for (;;) {
      const outcome = await this.killOnce().catch(() => 'kill-failed' as const);
      if (outcome !== 'kill-failed' || Date.now() > until) return;
      await new Promise((resolve) => setTimeout(resolve, retryEveryMs));
    }
  }

  private release(): void {
    if (this.found !== undefined) claimed.delete(this.found.id);
  }

  private async find(until: number): Promise<void> {
    while (this.found === undefined && !this.ended && Date.now() < until) {
      await this.lookOnce();
      if (this.found === undefined) await new Promise((resolve) => setTimeout(resolve, lookAgainMs));
    }
  }

  private async lookOnce(): Promise<void> {
    if (this.found !== undefined) return;
    const ids = await execIds(this.docker, this.exec.container).catch(() => []);
    for (const id of ids) {
      if (this.before.has(id) || claimed.has(id)) continue;
      const info = await inspectExec(this.docker, id).catch(() => undefined);
      if (info === undefined || !sameCmd(info.cmd, this.exec.cmd) || info.pid <= 1) continue;
      if (this.found !== undefined || claimed.has(id)) return;
      claimed.add(id);
      this.found = info;
      return;
    }
  }
}

async function execIds(docker: Dockerode, container: string): Promise<string[]> {
  const info = (await docker.getContainer(container).inspect()) as { ExecIDs?: string[] | null };
  return info.ExecIDs ?? [];
}

async function inspectExec(docker: Dockerode, id: string): Promise<ExecInfo> {
  const info = (await docker.getExec(id).inspect()) as {
    Running?: boolean;
    Pid?: number;
    ProcessConfig?: { entrypoint?: string; arguments?: string[] | null };
  };
  const config = info.ProcessConfig ?? {};
  return { id, running: info.Running === true, pid: info.Pid ?? 0, cmd: [config.entrypoint ?? '', ...(config.arguments ?? [])] };
}

function sameCmd(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((word, index) => word === b[index]);
}

/** The local engine's host is this machine: kill the group directly. */
export const killGroupHere: KillGroupOnEngineHost = async (pid) => {
  try {
    process.kill(-pid, 'SIGKILL');
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
};
