import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { RemoteToolCheck } from '../../../electron/main/commands/handlers/remote-tools.ts';

const run = promisify(execFile);

/**
 * RemoteToolCheck asks the host with stat whether a tool's path is root-owned. Here the "host"
 * is this machine: hostExec runs the same argv locally with the real stat, so the check reads
 * real ownership and modes.
 */
describe('host tools on an SSH host are checked there before their first use', () => {
  const asked: string[][] = [];
  const runtime = {
    hostExec: async (_env: string, argv: readonly string[]) => {
      asked.push([...argv]);
      const [file = '', ...args] = argv;
      const result = await run(file, args).then(
        ({ stdout, stderr }) => ({ stdout, stderr, exitCode: 0 }),
        (error: { stdout?: string; stderr?: string; code?: number }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '', exitCode: typeof error.code === 'number' ? error.code : 1 }),
      );
      return { ...result, signal: null, truncated: false, method: 'ssh' as const };
    },
  };
  const folder = mkdtempSync(join(tmpdir(), 'kiops-remote-tools-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('a root-owned tool in a root-owned folder passes, and is asked about once', async () => {
    const check = new RemoteToolCheck(runtime as never);
    expect(await check.check('env-1', '/usr/bin/uname')).toBeNull();
    expect(await check.check('env-1', '/usr/bin/uname')).toBeNull();
    expect(asked.filter((argv) => argv.includes('/usr/bin/uname'))).toHaveLength(1);
  });

  it('a tool under a folder anyone can write to, or a missing one, is refused with the reason', async () => {
    const fake = join(folder, 'uname');
    writeFileSync(fake, '#!/bin/sh\nid\n');
    chmodSync(fake, 0o755);
    const check = new RemoteToolCheck(runtime as never);
    expect(await check.check('env-1', fake)).toMatchObject({ decision: 'block', rule: 'host-command-not-allowed', message: expect.stringContaining('not a root-owned, write-protected') });
    expect(await check.check('env-1', '/usr/bin/kiops-no-such-tool')).toMatchObject({ decision: 'block', rule: 'host-command-not-allowed' });
  });
});
