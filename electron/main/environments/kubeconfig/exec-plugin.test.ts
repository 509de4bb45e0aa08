import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExecCredentialPlugin } from './exec-plugin.ts';
import { labelOf } from '../../../../shared/message-params.ts';

let dir = '';
const base = () => ({ timeoutMs: 5_000, path: '/usr/bin:/bin', home: dir, label: labelOf('context', 'eks') });

async function script(name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiops-exec-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('exec credential plugin runner', () => {
  it('returns the token and passes a fixed env plus the plugin env and exec info', async () => {
    const cmd = await script(
      'ok.sh',
      `[ "$PATH" = /usr/bin:/bin ] || exit 3
[ "$MY_SECRET" = s3 ] || exit 4
[ -z "$KIOPS_SHOULD_NOT_LEAK" ] || exit 5
case "$KUBERNETES_EXEC_INFO" in *ExecCredential*) ;; *) exit 6;; esac
echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-'"$1"'"}}'`,
    );
    process.env.KIOPS_SHOULD_NOT_LEAK = '1';
    try {
      const status = await runExecCredentialPlugin({ command: cmd, args: ['abc'], env: [{ name: 'MY_SECRET', value: 's3' }] }, base());
      expect(status.token).toBe('tok-abc');
    } finally {
      delete process.env.KIOPS_SHOULD_NOT_LEAK;
    }
  });

  it('kills the whole process group at the deadline and says so', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    // sleeps 30 s, longer than the test may run: only the deadline ends it. The deadline leaves a
    // loaded machine time to start the script and write the pid file first.
    const cmd = await script('hang.sh', `sleep 30 & echo $! > ${pidFile}\nwait`);
    await expect(runExecCredentialPlugin({ command: cmd }, { ...base(), timeoutMs: 2_000 })).rejects.toMatchObject({
      code: 'CREDENTIAL_PLUGIN_FAILED',
      message: `The credential plugin for context "eks" (${cmd}) did not finish within 2 s and was stopped.`,
    });
    const { readFile } = await import('node:fs/promises');
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    // Killed processes may linger as zombies until init reaps them; either way they no longer run.
    const state = () => readFile(`/proc/${pid}/stat`, 'utf8').then((t) => t.split(') ')[1]?.[0], () => 'gone');
    const deadline = Date.now() + 15_000;
    while (!['gone', 'Z'].includes((await state()) ?? '') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(['gone', 'Z']).toContain(await state());
  }, 30_000);

  it('gives readable errors for a missing command, a failing plugin and bad output', async () => {
    await expect(runExecCredentialPlugin({ command: 'kiops-no-such-plugin', installHint: 'Install it from example.com.' }, base())).rejects.toMatchObject({
      message: 'The credential plugin for context "eks" (kiops-no-such-plugin) could not start: "kiops-no-such-plugin" was not found. Install it from example.com.',
    });
    const failing = await script('fail.sh', 'echo "token expired, run login" >&2; exit 2');
    await expect(runExecCredentialPlugin({ command: failing }, base())).rejects.toMatchObject({ message: `The credential plugin for context "eks" (${failing}) failed with exit code 2: token expired, run login` });
    const garbage = await script('garbage.sh', 'echo hello');
    await expect(runExecCredentialPlugin({ command: garbage }, base())).rejects.toMatchObject({ message: expect.stringContaining('did not print an ExecCredential JSON object.') });
  });
});
