import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestEnvironment, TestEnvironmentMissingError, type TestEnvironmentDescription } from '../../../scripts/testenv/index.ts';
import { isAlive, mountsUnder, processesOfFolder } from '../../../scripts/testenv/folder-cleanup.ts';
import { findExecutable, toolSearchPath } from '../../../scripts/testenv/host-tools.ts';
import { runCommandLine, useTestEnvironment } from '../../support/test-environment.ts';

const run = promisify(execFile);
const cliPath = fileURLToPath(new URL('../../../scripts/testenv/cli.ts', import.meta.url));
const indexPath = fileURLToPath(new URL('../../../scripts/testenv/index.ts', import.meta.url));

function commandName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

// Every environment here lives in its own parent folder, so nothing here can touch the shared
// environment of this run or another engineer's run. The name is short because podman limits
// its runroot path to 50 characters.
const parents: string[] = [];
function privateParent(): string {
  const parent = mkdtempSync(join(tmpdir(), 'kt-'));
  parents.push(parent);
  return parent;
}
afterAll(() => {
  for (const parent of parents) rmSync(parent, { recursive: true, force: true });
});

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// Starting a second full environment only makes sense where the shared one could start.
useTestEnvironment('docker', 'podman', 'ssh', 'keyring');

describe('test environment lifecycle', () => {
  it('stop() kills every daemon and container it started, unmounts, and deletes its folder', async () => {
    const environment = await startTestEnvironment({ parentFolder: privateParent() });
    const { description } = environment;
    try {
      if (description.docker.status !== 'ready' || description.podman.status !== 'ready' || description.ssh.status !== 'ready') {
        throw new Error('pieces missing although the shared environment has them');
      }
      await runCommandLine(description.docker.cli, ['run', '-d', '--network', 'none', 'kiops/busybox:1', 'sleep', '300']);
      await runCommandLine(description.podman.cli, ['run', '-d', 'kiops/busybox:1', 'sleep', '300']);
      const running = processesOfFolder(description.folder);
      // the containers' own processes count too: that is what a crashed run would leak
      expect(running.filter((pid) => commandName(pid) === 'sleep')).toHaveLength(2);
      expect(running.length).toBeGreaterThanOrEqual(10);
      expect(await portAccepts(description.ssh.port)).toBe(true);
    } finally {
      await environment.stop();
    }
    expect(existsSync(description.folder)).toBe(false);
    expect(processesOfFolder(description.folder)).toEqual([]);
    expect(mountsUnder(description.folder)).toEqual([]);
    if (description.ssh.status === 'ready') expect(await portAccepts(description.ssh.port)).toBe(false);
  });

  it('reports absent tools as a typed "missing" piece locally, and refuses to start in strict (CI) mode', async () => {
    // A search path that only has the SSH tools: docker, podman and the keyring are "not installed".
    const bin = join(privateParent(), 'bin');
    mkdirSync(bin);
    for (const tool of ['sshd', 'ssh-keygen']) {
      const path = findExecutable(tool, toolSearchPath(process.env.PATH));
      if (path === null) throw new Error(`${tool} not found`);
      symlinkSync(path, join(bin, tool));
    }
    const parent = privateParent();
    const environment = await startTestEnvironment({ parentFolder: parent, searchPath: bin, strict: false });
    try {
      const { docker, keyring, ssh } = environment.description;
      expect(ssh.status).toBe('ready');
      expect(docker).toMatchObject({ status: 'missing', reason: 'absent-tools' });
      expect(docker.status === 'missing' && docker.missing).toContain('dockerd (package docker.io)');
      expect(keyring.status === 'missing' && keyring.message).toMatch(/^keyring: missing .*gnome-keyring-daemon \(package gnome-keyring\)/);
    } finally {
      await environment.stop();
    }

    const strictParent = privateParent();
    const strict = startTestEnvironment({ parentFolder: strictParent, searchPath: bin, strict: true });
    await expect(strict).rejects.toBeInstanceOf(TestEnvironmentMissingError);
    await expect(strict).rejects.toThrow(/docker: missing dockerd \(package docker\.io\)/);
    expect(readdirSync(strictParent)).toEqual([]);
  });

  it('removes an environment whose test run was killed, containers included, before starting the next one', async () => {
    const parent = privateParent();
    // A test run that dies without teardown: starts the engines, runs a container in each, SIGKILLs itself.
    const crashingRun = `
      import { execFileSync } from 'node:child_process';
      import { startTestEnvironment } from ${JSON.stringify(indexPath)};
      const { description: d } = await startTestEnvironment({ parentFolder: ${JSON.stringify(parent)}, pieces: ['docker', 'podman'] });
      for (const engine of [d.docker, d.podman]) {
        if (engine.status !== 'ready') throw new Error(engine.message);
        execFileSync(engine.cli.command, [...engine.cli.args, 'run', '-d', '--network', 'none', 'kiops/busybox:1', 'sleep', '300'], { env: { ...process.env, ...engine.cli.env } });
      }
      process.kill(process.pid, 'SIGKILL');
    `;
    await expect(run(process.execPath, ['--input-type=module', '-e', crashingRun], { timeout: 60_000 })).rejects.toMatchObject({ signal: 'SIGKILL' });
    const [abandoned] = readdirSync(parent).map((entry) => join(parent, entry));
    if (abandoned === undefined) throw new Error('the crashed run left no folder');
    const leftovers = processesOfFolder(abandoned);
    expect(leftovers.filter((pid) => commandName(pid) === 'sleep')).toHaveLength(2);

    const next = await startTestEnvironment({ parentFolder: parent, pieces: [] });
    await next.stop();
    expect(existsSync(abandoned)).toBe(false);
    expect(leftovers.filter(isAlive)).toEqual([]);
  });

  it('cli.ts up describes a running environment in its state file, and down removes it', async () => {
    const statePath = join(privateParent(), 'state.json');
    const up = await run(process.execPath, [cliPath, 'up', '--pieces', 'ssh', '--state', statePath], { timeout: 60_000 });
    const printed = JSON.parse(up.stdout) as TestEnvironmentDescription;
    expect(up.stderr).toMatch(/test environment up in \d+ ms/);
    if (printed.ssh.status !== 'ready') throw new Error(`ssh did not start: ${printed.ssh.message}`);
    // The CLI process has exited; the daemons it started keep running.
    expect(await portAccepts(printed.ssh.port)).toBe(true);
    expect(printed.docker).toMatchObject({ status: 'missing', reason: 'not-requested' });

    await run(process.execPath, [cliPath, 'down', '--state', statePath], { timeout: 60_000 });
    expect(await portAccepts(printed.ssh.port)).toBe(false);
    expect(existsSync(printed.folder)).toBe(false);
    expect(existsSync(statePath)).toBe(false);
  });
});
