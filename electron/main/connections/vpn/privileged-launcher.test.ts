import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrivilegedLauncher, type SpawnFunction } from './privileged-launcher.ts';

/** Records the argv each launcher really runs and ends it with the given exit and stderr. */
function recordingSpawn(exitCode: number, stderr = ''): { spawn: SpawnFunction; calls: string[][] } {
  const calls: string[][] = [];
  const spawn: SpawnFunction = (file, args) => {
    calls.push([file, ...args]);
    const child = Object.assign(new EventEmitter(), { stdout: new PassThrough(), stderr: new PassThrough(), stdin: null, pid: 4242, exitCode: null, signalCode: null });
    setImmediate(() => {
      child.stderr.end(stderr);
      child.stdout.end();
      child.emit('close', exitCode, null);
    });
    return child as unknown as ChildProcess;
  };
  return { spawn, calls };
}

// sudo and pkexec need not be installed for the argv to be checked: a folder of stand-ins.
const bin = mkdtempSync(join(tmpdir(), 'kiops-launcher-test-'));
for (const name of ['sudo', 'pkexec', 'wg']) {
  writeFileSync(join(bin, name), '');
  chmodSync(join(bin, name), 0o755);
}
afterAll(() => rmSync(bin, { recursive: true, force: true }));

describe('privileged launcher', () => {
  it.each([
    ['direct', ['wg', 'show']],
    ['sudo', ['sudo', '-n', '--', 'wg', 'show']],
    ['pkexec', ['pkexec', 'wg', 'show']],
  ] as const)('%s runs an argv with absolute program paths, never a shell', async (kind, argv) => {
    const { spawn, calls } = recordingSpawn(0);
    const launcher = createPrivilegedLauncher({ kind, platform: 'linux', path: `/nonexistent:${bin}`, spawn });
    await launcher.run(['wg', 'show']);
    expect(calls).toEqual([argv.map((a) => (['sudo', 'pkexec', 'wg'].includes(a) ? join(bin, a) : a))]);
  });

  it('says so in words when sudo wants a password or pkexec is dismissed', async () => {
    const sudo = createPrivilegedLauncher({ kind: 'sudo', platform: 'linux', path: bin, spawn: recordingSpawn(1, 'sudo: a password is required\n').spawn });
    await expect(sudo.run(['wg', 'show'])).rejects.toMatchObject({ code: 'LAUNCHER_REFUSED', message: expect.stringContaining('sudoers (NOPASSWD)') });
    const pkexec = createPrivilegedLauncher({ kind: 'pkexec', platform: 'linux', path: bin, spawn: recordingSpawn(126).spawn });
    await expect(pkexec.run(['wg', 'show'])).rejects.toMatchObject({ code: 'LAUNCHER_REFUSED' });
  });

  it('reports a missing program instead of running something else', () => {
    const launcher = createPrivilegedLauncher({ kind: 'direct', platform: 'linux', path: '/nonexistent', spawn: recordingSpawn(0).spawn });
    expect(() => launcher.spawn(['openvpn'])).toThrow(expect.objectContaining({ code: 'UNAVAILABLE', message: expect.stringContaining('"openvpn" is not installed') }));
  });

  it.each(['darwin', 'win32'] as const)('is UNAVAILABLE on %s until a privileged helper exists', (platform) => {
    expect(() => createPrivilegedLauncher({ kind: 'direct', platform })).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
  });
});
