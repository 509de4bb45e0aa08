import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { ContainerExecGuard } from './container-exec.ts';

// The guard's timing rule with an engine that answers late or never: pure logic, so the engine
// is a fake here. container-exec-cleanup.test.ts checks the same guard against real engines.
const argv = ['docker', '--host=unix:///run/kiops-test.sock', 'exec', 'shop-web-1', 'sleep', '301'];
const answerWithinMs = 50;
// Exec ids are claimed process-wide until their run ends: each case has ids of its own.
let lastExec = 0;
const newExecId = (): string => `exec-${(lastExec += 1)}`;

/** An engine whose answers the test releases: `hold` keeps every request waiting until `release`. */
class SlowEngine {
  execIds: string[] = [];
  held: (() => void)[] = [];
  hold = false;

  private answer<T>(value: () => T): Promise<T> {
    if (!this.hold) return Promise.resolve(value());
    return new Promise((resolve) => this.held.push(() => resolve(value())));
  }

  release(): void {
    this.hold = false;
    this.held.splice(0).forEach((answer) => answer());
  }

  get docker(): Dockerode {
    return {
      getContainer: () => ({ inspect: () => this.answer(() => ({ ExecIDs: [...this.execIds] })) }),
      getExec: (id: string) => ({ inspect: () => this.answer(() => ({ ID: id, Running: true, Pid: 4242, ProcessConfig: { entrypoint: 'sleep', arguments: ['301'] } })) }),
    } as unknown as Dockerode;
  }
}

function killRecorder(): { kills: number[]; kill: (pid: number) => Promise<boolean> } {
  const kills: number[] = [];
  return { kills, kill: async (pid) => (kills.push(pid), true) };
}

describe('an exec guard never holds a run back for an engine that answers late', () => {
  it('starts the run when the engine cannot list the container’s execs in time', async () => {
    const engine = new SlowEngine();
    engine.hold = true;
    const { kill } = killRecorder();
    const guard = await ContainerExecGuard.before(engine.docker, argv, kill, answerWithinMs);
    expect(guard).toBeDefined();
    expect(engine.held.length).toBe(1);
  });

  it('a run cut short answers "pending" while the engine is slow, and the exec is still killed once it answers', async () => {
    const engine = new SlowEngine();
    const { kills, kill } = killRecorder();
    const guard = await ContainerExecGuard.before(engine.docker, argv, kill, answerWithinMs);
    engine.execIds = [newExecId()];
    engine.hold = true;
    expect(await guard?.end(true)).toBe('pending');
    expect(kills).toEqual([]);
    engine.release();
    await expect.poll(() => kills).toEqual([4242]);
  });

  it('a run cut short on an engine that answers in time says the exec was killed', async () => {
    const engine = new SlowEngine();
    const { kills, kill } = killRecorder();
    const guard = await ContainerExecGuard.before(engine.docker, argv, kill, answerWithinMs);
    engine.execIds = [newExecId()];
    expect(await guard?.end(true)).toBe('killed');
    expect(kills).toEqual([4242]);
  });

  it('a run that ended by itself kills nothing', async () => {
    const engine = new SlowEngine();
    const { kills, kill } = killRecorder();
    const guard = await ContainerExecGuard.before(engine.docker, argv, kill, answerWithinMs);
    engine.execIds = [newExecId()];
    expect(await guard?.end(false)).toBe('ended-by-itself');
    expect(kills).toEqual([]);
  });
});
