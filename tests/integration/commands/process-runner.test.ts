import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.ts';
import { CommandExecution, type CommandInput } from '../../../electron/main/commands/command-execution.ts';
import { resolveHostTools } from '../../../electron/main/commands/host-commands.ts';
import { decideKubectl } from '../../../electron/main/commands/kubectl-policy.ts';
import {
  fixedPath,
  oneShotDeadlineMs,
  ProcessRunner,
  streamOutputLimitBytes,
  streamTimeLimitMs,
  type RunnerClock,
  type SpawnProcess,
} from '../../../electron/main/commands/process-runner.ts';
import { StreamingSessions } from '../../../electron/main/commands/streaming-sessions.ts';
import { tokenizeCommandLine } from '../../../electron/main/commands/tokenize.ts';

// Real processes, real process groups: these tests prove that what the runner promises holds
// for children that misbehave (spawn grandchildren, ignore their deadline, flood output).

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kiops-runner-test-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A live (not zombie) process with this pid exists. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Waits until none of `pids` is alive (killed processes are reaped a moment after the kill). */
async function waitUntilDead(pids: readonly number[], what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (pids.some(alive)) {
    if (Date.now() > deadline) throw new Error(`${what} still alive: ${pids.filter(alive).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Live processes whose process group is `pgid`. */
function liveGroupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return fields[0] !== 'Z' && Number(fields[2]) === pgid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function countingSpawn(): { spawnProcess: SpawnProcess; pids: number[] } {
  const pids: number[] = [];
  return {
    pids,
    spawnProcess: (file, args, options) => {
      const child = spawn(file, [...args], options);
      if (child.pid !== undefined) pids.push(child.pid);
      return child;
    },
  };
}

describe('one-shot runs', () => {
  it('returns stdout, stderr, exit code and the audit facts', async () => {
    const runner = new ProcessRunner();
    const result = await runner.runOnce({ argv: ['sh', '-c', 'echo hello; echo oops >&2; exit 3'] }, 'other');
    expect(result).toMatchObject({ argv: ['sh', '-c', 'echo hello; echo oops >&2; exit 3'], exitCode: 3, signal: null, stdout: 'hello\n', stderr: 'oops\n', stdoutBytes: 6, stderrBytes: 5, endReason: 'exited' });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('kills the whole process group at the deadline, grandchildren included', async () => {
    const spy = countingSpawn();
    const runner = new ProcessRunner({ spawnProcess: spy.spawnProcess });
    // everything sleeps 100 s, longer than the test may run: only the deadline ends it
    const result = await runner.runOnce({ argv: ['sh', '-c', 'sleep 100 & echo $!; sh -c "sleep 100 & echo \\$!; sleep 100" & sleep 100'] }, 'other', { deadlineMs: 1000 });
    expect(result.endReason).toBe('timeout');
    expect(result.signal).toBe('SIGKILL');
    const grandchildren = result.stdout.trim().split('\n').map(Number);
    expect(grandchildren).toHaveLength(2);
    const [leader] = spy.pids;
    expect(leader).toBeDefined();
    await waitUntilDead(grandchildren, 'grandchildren');
    await waitUntilDead(liveGroupMembers(leader as number), 'group members');
    expect(liveGroupMembers(leader as number)).toEqual([]);
  });

  it('reaps background children the command left behind when it exits on its own', async () => {
    const runner = new ProcessRunner();
    const result = await runner.runOnce({ argv: ['sh', '-c', 'sleep 100 & echo $!'] }, 'other', { deadlineMs: 5000 });
    expect(result.endReason).toBe('exited');
    expect(result.exitCode).toBe(0);
    await waitUntilDead([Number(result.stdout.trim())], 'the background child');
  });

  it('uses 30 s by default and 60 s for logs and events', async () => {
    const deadlines: number[] = [];
    const clock: RunnerClock = {
      now: () => performance.now(),
      after: (ms, fire) => {
        if (ms >= 10_000) deadlines.push(ms);
        const handle = setTimeout(fire, Math.min(ms, 1000));
        return () => clearTimeout(handle);
      },
    };
    const runner = new ProcessRunner({ clock });
    for (const kind of ['other', 'logs', 'events'] as const) await runner.runOnce({ argv: ['true'] }, kind);
    expect(deadlines).toEqual([30_000, 60_000, 60_000]);
    expect(oneShotDeadlineMs).toEqual({ other: 30_000, logs: 60_000, events: 60_000 });
  });

  it('caps one-shot output and kills the producer', async () => {
    const runner = new ProcessRunner();
    const result = await runner.runOnce({ argv: ['yes'] }, 'other', { outputLimitBytes: 100_000 });
    expect(result).toMatchObject({ endReason: 'output-limit', stdoutBytes: 100_000 });
    expect(result.stdout.length).toBe(100_000);
  });

  it('runs with a private HOME, the fixed PATH and a minimal environment, and removes HOME afterwards', async () => {
    const runner = new ProcessRunner();
    const result = await runner.runOnce({ argv: ['env'] }, 'other');
    const env = Object.fromEntries(result.stdout.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
    expect(Object.keys(env).sort()).toEqual(['HOME', 'LANG', 'LC_ALL', 'PATH', 'TMPDIR']);
    expect(env.PATH).toBe(fixedPath);
    expect(env.HOME).toMatch(/kiops-home-/);
    expect(env.HOME).not.toBe(process.env.HOME);
    expect(existsSync(env.HOME as string)).toBe(false);
  });

  it('reports spawn-failed for a program that is not on the fixed PATH', async () => {
    const runner = new ProcessRunner();
    await expect(runner.runOnce({ argv: ['kiops-no-such-tool'] }, 'other')).resolves.toMatchObject({ endReason: 'spawn-failed', exitCode: null, stdoutBytes: 0 });
    await expect(runner.runOnce({ argv: ['/bin/true'] }, 'other')).resolves.toMatchObject({ endReason: 'spawn-failed' });
  });
});

describe('streaming sessions', () => {
  it('streams output and cuts it at exactly 5 MB', async () => {
    const runner = new ProcessRunner();
    const session = runner.startStream({ argv: ['yes'] });
    let received = 0;
    let chunks = 0;
    session.onOutput((chunk) => {
      received += chunk.data.length;
      chunks += 1;
    });
    const result = await session.done;
    expect(streamOutputLimitBytes).toBe(5 * 1024 * 1024);
    expect(result.endReason).toBe('output-limit');
    expect(received).toBe(streamOutputLimitBytes);
    expect(received).toBe(result.stdoutBytes);
    expect(chunks).toBeGreaterThan(1);
  });

  it('ends at the time limit (10 minutes by default, 500 ms here)', async () => {
    expect(streamTimeLimitMs).toBe(600_000);
    const runner = new ProcessRunner();
    const session = runner.startStream({ argv: ['sh', '-c', 'while true; do echo tick; sleep 0.1; done'] }, { timeLimitMs: 500 });
    const ticks: string[] = [];
    session.onOutput((chunk) => ticks.push(chunk.data.toString()));
    const result = await session.done;
    expect(result.endReason).toBe('time-limit');
    // the loop never ends by itself: only the limit stops it, and not before its time
    expect(result.durationMs).toBeGreaterThanOrEqual(450);
    expect(ticks.join('')).toContain('tick');
  });

  it('stop() kills the whole group', async () => {
    const spy = countingSpawn();
    const runner = new ProcessRunner({ spawnProcess: spy.spawnProcess });
    const session = runner.startStream({ argv: ['sh', '-c', 'sleep 100 & echo $!; sleep 100'] });
    const firstOutput = new Promise<string>((resolve) => session.onOutput((chunk) => resolve(chunk.data.toString())));
    const grandchild = Number((await firstOutput).trim());
    expect(alive(grandchild)).toBe(true);
    session.stop();
    const result = await session.done;
    expect(result.endReason).toBe('stopped');
    await waitUntilDead([grandchild], 'the grandchild');
    await waitUntilDead(liveGroupMembers(spy.pids[0] as number), 'group members');
    expect(liveGroupMembers(spy.pids[0] as number)).toEqual([]);
  });

  it('refuses a 4th concurrent session per operator and frees the slot when one ends', async () => {
    const spy = countingSpawn();
    const runner = new ProcessRunner({ spawnProcess: spy.spawnProcess });
    const sessions = new StreamingSessions((request, limits) => runner.startStream(request, limits));
    const sleep = { argv: ['sleep', '100'] };
    const mine = [sessions.open('alice', sleep), sessions.open('alice', sleep), sessions.open('alice', sleep)];
    let refusal: unknown;
    try {
      sessions.open('alice', sleep);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'LIMIT_REACHED', message: expect.stringContaining('Stop one before starting another') });
    expect(spy.pids).toHaveLength(3);
    const bobs = sessions.open('bob', sleep);
    expect(sessions.running('alice')).toBe(3);
    expect(sessions.stop('bob', mine[0]?.id ?? '')).toBe(false);
    expect(sessions.stop('alice', mine[0]?.id ?? '')).toBe(true);
    await mine[0]?.done;
    const again = sessions.open('alice', sleep);
    expect(sessions.running('alice')).toBe(3);
    sessions.stopAll();
    const results = await Promise.all([...mine, again, bobs].map((s) => s.done));
    expect(results.map((r) => r.endReason)).toEqual(['stopped', 'stopped', 'stopped', 'stopped', 'stopped']);
    expect(sessions.running('alice')).toBe(0);
  });
});

describe('policy before process', () => {
  const engineTarget = { runtime: 'engine' as const, engine: 'docker' as const };

  it('never spawns a refused command', async () => {
    const spy = countingSpawn();
    const runner = new ProcessRunner({ spawnProcess: spy.spawnProcess });
    const execution = new CommandExecution(runner, new StreamingSessions((r, l) => runner.startStream(r, l)));
    const marker = join(work, 'marker');
    const refusedLines = [
      `touch ${marker}; true`,
      `sh -c 'touch ${marker}'`,
      `ps aux > ${marker}`,
      `ps $(touch ${marker})`,
      `env touch ${marker}`,
      `docker run -v /:/host busybox touch ${marker}`,
    ];
    for (const line of refusedLines) {
      const outcome = await execution.runOnce({ operatorId: 'alice', line, target: engineTarget, production: false });
      expect(outcome.outcome, line).toBe('refused');
    }
    // Host tools that write are refused outright, confirmed or not.
    const unconfirmed = await execution.runOnce({ operatorId: 'alice', line: `touch ${marker}`, target: engineTarget, production: true });
    expect(unconfirmed).toMatchObject({ outcome: 'refused', decision: { decision: 'block', rule: 'host-command-not-allowed' } });
    const kube: CommandInput = { operatorId: 'alice', line: 'kubectl exec -it web -- sh', target: { runtime: 'kubernetes', namespace: 'shop', kubeconfigPath: '/nonexistent' }, production: false };
    expect(execution.openStream(kube)).toMatchObject({ outcome: 'refused', decision: { rule: 'interactive' } });
    expect(spy.pids).toHaveLength(0);
    expect(existsSync(marker)).toBe(false);

    // A read-only host tool runs by its resolved absolute path.
    const listed = await execution.runOnce({ operatorId: 'alice', line: `ls ${work}`, target: { ...engineTarget, hostTools: resolveHostTools() }, production: true });
    expect(listed).toMatchObject({ outcome: 'ran', result: { endReason: 'exited', exitCode: 0, argv: ['/usr/bin/ls', work] } });
    expect(spy.pids).toHaveLength(1);
  });
});

describe('the real kubectl through the runner', () => {
  const kubeconfigPath = () => {
    const path = join(work, 'kubeconfig');
    // A server nobody listens on: kubectl must parse the argv and fail only at connecting.
    writeFileSync(path, 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\nusers:\n- name: u\n  user:\n    token: not-a-real-token\n', { mode: 0o600 });
    return path;
  };

  it('kubectl version --client runs with the private HOME and shows the kubeconfig as a placeholder', async () => {
    const runner = new ProcessRunner();
    const execution = new CommandExecution(runner, new StreamingSessions((r, l) => runner.startStream(r, l)));
    const outcome = await execution.runOnce({ operatorId: 'alice', line: 'kubectl version --client', target: { runtime: 'kubernetes', namespace: 'shop', kubeconfigPath: kubeconfigPath() }, production: false });
    expect(outcome).toMatchObject({ outcome: 'ran', result: { exitCode: 0, endReason: 'exited', argv: ['kubectl', 'version', '--client', '--namespace=shop', '--kubeconfig=<kubeconfig>'] } });
    if (outcome.outcome === 'ran') expect(outcome.result.stdout).toContain('Client Version');
  });

  it('kubectl sees an empty private HOME: no kubeconfig of the machine leaks in', async () => {
    const runner = new ProcessRunner();
    const result = await runner.runOnce({ argv: ['kubectl', 'config', 'view'] }, 'other');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('clusters: null');
    expect(result.stdout).toContain('current-context: ""');
    const home = await runner.runOnce({ argv: ['sh', '-c', 'echo "$HOME"; ls -A "$HOME"'] }, 'other');
    expect(home.stdout).toMatch(/^\/.*kiops-home-[^\n]+\n$/);
  });

  it('removes the private HOME, with what the run wrote there, before the run counts as done', async () => {
    const runner = new ProcessRunner();
    const result = await runner.runOnce({ argv: ['sh', '-c', 'mkdir -p "$HOME/.kube/cache/discovery" && touch "$HOME/.kube/cache/discovery/a" && echo "$HOME"'] }, 'other');
    expect(result.exitCode).toBe(0);
    const home = result.stdout.trim();
    expect(home).toMatch(/kiops-home-/);
    expect(existsSync(home)).toBe(false);
  });

  it.each([
    'kubectl get pods',
    'kubectl get po/web-1 deploy/api -o wide',
    'kubectl get pods,svc web',
    'kubectl --request-timeout 5s get ev',
    'kubectl logs web-1 app --tail 10',
    'kubectl logs deploy/api --since=1h --prefix',
    'kubectl exec web-1 -c app -- ls -la',
    'kubectl delete pods -l app=web --wait=false --dry-run',
    'kubectl scale deploy/api --replicas 0 --dry-run=client',
    'kubectl set image deploy/api api=registry.local/api:1.2 --dry-run=server',
    'kubectl rollout history deploy/api --revision 3',
    'kubectl label pod web-1 tier=front --overwrite',
    'kubectl top pods web-1 --containers',
    'kubectl events --for pod/web-1 --types=Warning',
    'kubectl auth can-i delete pods',
  ])('the canonical argv of "%s" is accepted by kubectl\'s own parser', async (line) => {
    const tokens = tokenizeCommandLine(line);
    if (!tokens.ok) throw new Error(tokens.refusal.message);
    const decision = decideKubectl({ argv: tokens.argv, mode: 'one-shot', target: { namespace: 'shop', kubeconfigPath: kubeconfigPath() }, production: false });
    if (decision.decision !== 'allow') throw new Error(JSON.stringify(decision));
    const result = await new ProcessRunner().runOnce({ argv: decision.argv }, decision.kind, { deadlineMs: 20_000 });
    expect(result.stderr).not.toMatch(/unknown (flag|command|shorthand)|invalid argument|flag needs an argument|requires|must specify|error: (arguments|you must)/i);
    expect(result.stderr).toMatch(/127\.0\.0\.1:1|connection refused/i);
  });
});
