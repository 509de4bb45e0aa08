import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
      expect(processesOfFolder(description.folder).length).toBeGreaterThanOrEqual(8);
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

  it('removes an environment abandoned by a dead test run before starting the next one', async () => {
    const parent = privateParent();
    const abandoned = join(parent, 'kiops-testenv-abandoned');
    mkdirSync(abandoned);
    const deadOwner = spawn('true');
    await new Promise((resolve) => deadOwner.once('exit', resolve));
    writeFileSync(join(abandoned, 'owner.json'), JSON.stringify({ kind: 'test-run', pid: deadOwner.pid, startTicks: '1' }));
    // A daemon the dead run left behind: it runs from inside the folder.
    const leftover = spawn('sleep', ['300'], { cwd: abandoned, detached: true, stdio: 'ignore' });
    leftover.unref();
    const leftoverPid = leftover.pid ?? 0;
    expect(isAlive(leftoverPid)).toBe(true);

    const environment = await startTestEnvironment({ parentFolder: parent, pieces: [] });
    await environment.stop();
    expect(existsSync(abandoned)).toBe(false);
    expect(isAlive(leftoverPid)).toBe(false);
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
