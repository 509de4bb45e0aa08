import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { startBrowserMode } from './browser-mode-process.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';

// Class 8 of issue 10, the process side: child process groups die with browser mode (on
// SIGTERM, SIGINT or an uncaught error), and credentials a crashed run left in the temp
// folder are swept at the next start.

const shutdownModule = resolve('electron/main/web/shutdown.ts');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A stand-in app: installs browser mode's shutdown, starts a detached group of sleeps (as the command runner does), prints their pids. */
async function appWithChildren(then: 'wait' | 'throw') {
  const script = `
    import { spawn } from 'node:child_process';
    import { installShutdown } from ${JSON.stringify(shutdownModule)};
    installShutdown(async () => {});
    const group = spawn('sh', ['-c', 'sleep 300 & sleep 301 & echo "$!"; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    group.stdout.once('data', (grandchild) => {
      console.log('pids ' + group.pid + ' ' + String(grandchild).trim());
      ${then === 'throw' ? "setTimeout(() => { throw new Error('boom'); }, 50);" : ''}
    });
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const pids = await new Promise<number[]>((done, fail) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('pids ')) done(line.slice(5).split(' ').map(Number));
    });
    void exited.then(() => fail(new Error(`stand-in exited early: ${stderr}`)));
  });
  return { child, pids, exited, stderr: () => stderr };
}

async function gone(pids: readonly number[]): Promise<boolean> {
  for (let i = 0; i < 200; i += 1) {
    // a killed child stays a zombie until reaped; ps shows it as Z, which counts as gone
    const states = pids.map((pid) => (alive(pid) ? spawnSync('ps', ['-o', 'stat=', '-p', String(pid)]).stdout.toString().trim() : ''));
    if (states.every((state) => state === '' || state.startsWith('Z'))) return true;
    await new Promise((done) => setTimeout(done, 25));
  }
  return false;
}

describe('browser mode takes its child processes down with it', () => {
  const env = useTestEnvironment('keyring');
  const folder = mkdtempSync(join(tmpdir(), 'kiops-web-shutdown-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it.each(['SIGTERM', 'SIGINT'] as const)('kills the detached child group and what it started on %s', async (signal) => {
    const app = await appWithChildren('wait');
    expect(app.pids.every(alive)).toBe(true);
    app.child.kill(signal);
    expect(await app.exited).toBe(0);
    expect(await gone(app.pids)).toBe(true);
  });

  it('kills them on an uncaught error and exits non-zero', async () => {
    const app = await appWithChildren('throw');
    expect(await app.exited).toBe(1);
    expect(app.stderr()).toMatch(/stopped after an unexpected error: Error: boom/);
    expect(await gone(app.pids)).toBe(true);
  });

  it('sweeps kubeconfigs and VPN profiles a dead run left behind, and keeps a live run\'s', async () => {
    const temp = join(folder, 'tmp');
    mkdirSync(temp);
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']).stdout.toString().trim();
    const leftovers = [join(temp, 'kiops-kubectl-abc123', `kiops-kubeconfig-${dead}-x1`), join(temp, `kiops-kubeconfig-${dead}-x2`), join(temp, `kiops-vpn-${dead}-x3`)];
    const live = join(temp, 'kiops-kubectl-def456', `kiops-kubeconfig-${process.pid}-x4`);
    for (const dir of [...leftovers, live]) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(join(dir, 'config'), 'users:\n- name: u\n  user:\n    token: leftover-bearer-token\n', { mode: 0o600 });
    }
    const app = await startBrowserMode(join(folder, 'app'), { ...env.keyring.env, TMPDIR: temp });
    try {
      for (const dir of leftovers) expect(existsSync(dir), dir).toBe(false);
      expect(existsSync(join(temp, 'kiops-kubectl-abc123'))).toBe(false);
      expect(existsSync(join(live, 'config'))).toBe(true);
    } finally {
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
    }
  });
});
