import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import type { EngineConnection, EngineKind } from '../../../../electron/main/operations/containers/engine.ts';
import type { Cancel, RefreshTimers } from '../../../../electron/main/operations/containers/refresh-timers.ts';
import { realTimers } from '../../../../electron/main/operations/containers/refresh-timers.ts';
import type { PermissionGate, PermissionSet, PermissionTarget } from '../../../../electron/main/permissions/permission-types.ts';
import { AppError } from '../../../../shared/errors.ts';

/** Containers created by one test file, removed (forcefully) at the end. */
export class ContainerKit {
  readonly engine: EngineConnection;
  private readonly image: string;
  private readonly created: string[] = [];

  constructor(kind: EngineKind, socketPath: string, image: string) {
    this.engine = { docker: new Docker({ socketPath }), kind, identity: `${kind}@test-host` };
    this.image = image;
  }

  uniqueName(prefix: string): string {
    return `${prefix}-${randomBytes(3).toString('hex')}`;
  }

  async run(name: string, options: { cmd?: string[]; labels?: Record<string, string>; nanoCpus?: number; memory?: number; start?: boolean } = {}): Promise<Docker.Container> {
    this.created.push(name);
    const container = await this.engine.docker.createContainer({
      name,
      Image: this.image,
      Cmd: options.cmd ?? ['sleep', '600'],
      Labels: options.labels ?? {},
      // busybox's sleep ignores SIGTERM as PID 1, so a graceful stop would always wait the full t.
      StopSignal: 'SIGKILL',
      HostConfig: { NetworkMode: 'none', NanoCpus: options.nanoCpus, Memory: options.memory },
    });
    if (options.start ?? true) await container.start();
    return container;
  }

  async startedAt(name: string): Promise<string> {
    return (await this.engine.docker.getContainer(name).inspect()).State.StartedAt;
  }

  async removeAll(): Promise<void> {
    await Promise.all(this.created.map((name) => this.engine.docker.getContainer(name).remove({ force: true }).catch(() => undefined)));
  }
}

export function composeLabels(project: string, service: string): Record<string, string> {
  return { 'com.docker.compose.project': project, 'com.docker.compose.service': service };
}

/** Periodic timers fire only when the test says so; one-off delays (debounce, backoff) run for real. */
export class ManualIntervals implements RefreshTimers {
  private readonly intervals = new Map<number, { ms: number; run: () => void }>();
  private nextId = 1;

  get active(): number {
    return this.intervals.size;
  }

  after(ms: number, run: () => void): Cancel {
    return realTimers.after(ms, run);
  }

  every(ms: number, run: () => void): Cancel {
    const id = this.nextId;
    this.nextId += 1;
    this.intervals.set(id, { ms, run });
    return () => this.intervals.delete(id);
  }

  /** Fires every registered interval once, as if its period had passed. */
  elapse(): number {
    const due = [...this.intervals.values()];
    for (const interval of due) interval.run();
    return due.length;
  }

  periods(): number[] {
    return [...this.intervals.values()].map((interval) => interval.ms);
  }
}

/** A gate with fixed answers, for the engine tests (the real gate is tested against the kube server). */
export class FixedGate implements PermissionGate {
  management: boolean;

  constructor(management: boolean) {
    this.management = management;
  }

  async permissions(): Promise<PermissionSet> {
    return { logs: true, commands: true, management: this.management, reasons: [] };
  }

  async require(target: PermissionTarget, permission: 'logs' | 'commands' | 'management'): Promise<void> {
    if (permission === 'management' && !this.management) {
      throw new AppError('PERMISSION_DENIED', `You do not have permission to manage in "${target.environment.name}". If you need it, request permission from your organization manager.`);
    }
  }
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
