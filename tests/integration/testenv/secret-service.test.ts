import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestEnvironment } from '../../support/test-environment.ts';

const env = useTestEnvironment('keyring');

/** secret-tool with the worker's own environment: whatever keytar sees, it sees. Resolves null when no item matches (exit 1). */
function secretTool(args: string[], input?: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const child = execFile(env.keyring.secretToolPath, args, { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else if (error.code === 1 && stderr.trim() === '') resolve(null);
      else reject(new Error(`secret-tool ${args[0]} failed: ${stderr.trim() || error.message}`));
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

describe('private gnome-keyring from the test environment', () => {
  const service = `kiops-testenv-${randomBytes(4).toString('hex')}`;

  afterAll(async () => {
    for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
  });

  it('reaches this worker: its session bus is the private one set by global setup', () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS).toBe(env.keyring.busAddress);
    expect(env.keyring.busAddress).toBe(`unix:path=${env.folder}/keyring/bus`);
  });

  it('shows a secret written by keytar to secret-tool through the Secret Service', async () => {
    const secret = `token ${randomBytes(12).toString('hex')} ✓`;
    await keytar.setPassword(service, 'written-by-keytar', secret);
    expect(await secretTool(['lookup', 'service', service, 'account', 'written-by-keytar'])).toBe(secret);

    await keytar.deletePassword(service, 'written-by-keytar');
    expect(await secretTool(['lookup', 'service', service, 'account', 'written-by-keytar'])).toBeNull();
  });

  it('gives keytar a secret stored by secret-tool', async () => {
    const secret = `password-${randomBytes(12).toString('hex')}`;
    // keytar looks items up under libsecret's generic schema, so the item must carry it.
    await secretTool(['store', '--label=kiops testenv', 'xdg:schema', 'org.freedesktop.Secret.Generic', 'service', service, 'account', 'written-by-secret-tool'], secret);
    expect(await keytar.getPassword(service, 'written-by-secret-tool')).toBe(secret);
    expect(await keytar.findCredentials(service)).toEqual([{ account: 'written-by-secret-tool', password: secret }]);
  });

  it('keeps its keyring files in the private folder, not in the real home', () => {
    expect(env.keyring.home.startsWith(`${env.folder}/`)).toBe(true);
    expect(existsSync(join(env.keyring.home, '.local/share/keyrings/login.keyring'))).toBe(true);
  });
});
