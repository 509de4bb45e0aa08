import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConnectionTest } from '../../../shared/contract/environments.ts';
import { describeWithEnvironment } from '../../support/test-environment.ts';
import { startTestCore, type TestCore } from '../environments/support/core.ts';
import { startTestSshd, type TestSshd } from './support/sshd.ts';

const run = promisify(execFile);

// Issue 12 (SSH): a host added by its ~/.ssh/config alias, reached through a ProxyJump hop
// (a second real sshd) over ssh2 channels; every hop's key pinned; a changed key refused,
// then re-pinned or forgotten through the contract; known_hosts keys imported as pins.
describeWithEnvironment(['keyring', 'docker'], 'an SSH host from ~/.ssh/config behind a ProxyJump hop', (env) => {
  let jump: TestSshd;
  let target: TestSshd;
  let app: TestCore;
  let home: string;
  let identityId = '';
  let environmentId = '';
  const alias = `kiops-target-${process.pid}`;
  const jumpAlias = `kiops-jump-${process.pid}`;

  beforeAll(async () => {
    target = await startTestSshd();
    jump = await startTestSshd({ logLevel: 'DEBUG1', authorizedKeys: [await readFile(join(target.dir, 'id_ed25519.pub'), 'utf8')] });
    home = await mkdtemp(join(tmpdir(), 'kiops-ssh-home-'));
    await mkdir(join(home, '.ssh'), { recursive: true });
    await writeFile(join(home, '.ssh', 'hosts.conf'), [`Host ${jumpAlias}`, '  HostName 127.0.0.1', `  Port ${jump.port}`, `  User ${jump.username}`, ''].join('\n'));
    await writeFile(
      join(home, '.ssh', 'config'),
      [
        'Include hosts.conf',
        `Host ${alias}`,
        '  HostName 127.0.0.1',
        `  Port ${target.port}`,
        `  ProxyJump ${jumpAlias}`,
        '  IdentityFile ~/.ssh/id_target',
        '  IdentitiesOnly yes',
        `Host ${alias} !${jumpAlias}`,
        `  User ${target.username}`,
        'Host *',
        '  User nobody-by-default',
        '  Port 1',
        '',
      ].join('\n'),
    );
    app = await startTestCore({ host: { env: { PATH: process.env.PATH, USER: userInfo().username }, homeDir: home } });
    identityId = (await app.client.call('sshIdentities.add', { kind: 'private-key', name: 'jump key', privateKey: target.keys.ed25519 })).id;
  });
  afterAll(async () => {
    await app?.close();
    await jump?.stop();
    await target?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  const jumpHostPort = () => `127.0.0.1:${jump.port}`;
  const targetHostPort = () => `127.0.0.1:${target.port}`;
  const test = () => app.client.call('environments.testConnection', { id: environmentId });
  const newestRow = async (action: string) => (await app.client.call('audit.list', { limit: 1, action })).rows[0];
  const expectOk = (result: ConnectionTest) => expect(result, JSON.stringify(result)).toMatchObject({ ok: true, method: 'ssh' });

  it('offers the alias resolved as ssh would, with its ProxyJump hop looked up in the included file', async () => {
    const { hosts, path } = await app.client.call('sshConfig.hosts', {});
    expect(path).toBe(join(home, '.ssh', 'config'));
    expect(hosts.map((h) => h.alias)).toEqual([jumpAlias, alias]);
    expect(hosts.find((h) => h.alias === alias)).toEqual({
      alias,
      host: '127.0.0.1',
      port: target.port,
      username: target.username,
      identityFiles: [join(home, '.ssh', 'id_target')],
      identitiesOnly: true,
      jumps: [{ host: '127.0.0.1', port: jump.port, username: jump.username }],
    });
  });

  it('connects through the jump host, pinning the jump’s key first and then the target’s', async () => {
    const found = (await app.client.call('sshConfig.hosts', {})).hosts.find((h) => h.alias === alias)!;
    const added = await app.client.call('environments.addEngine', {
      name: `docker behind ${alias}`,
      engine: 'docker',
      socketPath: env.docker.socketPath,
      connection: { selected: 'ssh', methods: ['ssh'], ssh: { host: found.host, port: found.port, username: found.username, identityId, jumps: found.jumps } },
    });
    environmentId = added.id;
    expect(added.connection.ssh?.jumps).toEqual(found.jumps);

    const first = await test();
    expect(first).toMatchObject({ state: 'needs-host-key-confirmation', hostPort: jumpHostPort(), fingerprint: await jump.hostFingerprint() });
    await app.client.call('hostKeys.trust', { environmentId, hostPort: jumpHostPort(), fingerprint: await jump.hostFingerprint() });
    const second = await test();
    expect(second).toMatchObject({ state: 'needs-host-key-confirmation', hostPort: targetHostPort(), fingerprint: await target.hostFingerprint() });
    await app.client.call('hostKeys.trust', { environmentId, hostPort: targetHostPort(), fingerprint: await target.hostFingerprint() });

    const connected = await test();
    expectOk(connected);
    expect(connected.ok && connected.details.engineVersion).toBeTruthy();
    // the jump sshd opened the channel to the target: the connection went through the hop
    await expect.poll(() => jump.log(), { timeout: 20_000 }).toContain(`target 127.0.0.1 port ${target.port}`);
  });

  it('refuses a changed target key with both fingerprints, then re-pins it after confirmation (audited)', async () => {
    const before = await target.hostFingerprint();
    await target.replaceHostKey();
    const after = await target.hostFingerprint();
    expect(after).not.toBe(before);
    // sshd's running sessions outlive its restart: choosing the method again drops the pooled client
    await app.client.call('connections.setMethod', { environmentId, selected: 'ssh' });

    const refused = await test();
    expect(refused).toMatchObject({ ok: false, error: { code: 'HOST_KEY_CHANGED' }, previousFingerprint: before, presentedFingerprint: after, hostPort: targetHostPort() });
    expect(await newestRow('host-key.mismatch')).toMatchObject({ outcome: 'refused', target: targetHostPort(), details: { previousFingerprint: before, presentedFingerprint: after } });

    // a re-pin naming a stale previous key is refused and changes nothing
    await expect(app.client.call('hostKeys.repin', { environmentId, hostPort: targetHostPort(), previousFingerprint: after, fingerprint: after, confirm: true })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await newestRow('host-keys.repin')).toMatchObject({ outcome: 'refused', error: expect.stringContaining(`The pinned key of ${targetHostPort()} is ${before}`) });

    expect(await app.client.call('hostKeys.repin', { environmentId, hostPort: targetHostPort(), previousFingerprint: before, fingerprint: after, confirm: true })).toEqual({ hostPort: targetHostPort(), fingerprint: after });
    expect(await newestRow('host-key.repin')).toMatchObject({ outcome: 'success', target: targetHostPort(), details: { previousFingerprint: before, fingerprint: after } });
    expectOk(await test());
  });

  it('forgets a pin (audited): the next test asks to confirm the key again', async () => {
    expect(await app.client.call('hostKeys.forget', { environmentId, hostPort: targetHostPort() })).toEqual({ hostPort: targetHostPort(), forgotten: true });
    expect(await newestRow('host-key.forget')).toMatchObject({ outcome: 'success', target: targetHostPort() });
    expect(await test()).toMatchObject({ state: 'needs-host-key-confirmation', hostPort: targetHostPort(), fingerprint: await target.hostFingerprint() });
    await expect(app.client.call('hostKeys.forget', { environmentId, hostPort: '127.0.0.1:1' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('imports the target’s hashed known_hosts entry as its pin after the user asks for it (audited)', async () => {
    const knownHosts = join(home, '.ssh', 'known_hosts');
    const [type, key] = (await target.hostPublicKey()).trim().split(/\s+/);
    await writeFile(knownHosts, `@revoked [127.0.0.1]:${target.port} ${type} ${key}\n[127.0.0.1]:${target.port} ${type} ${key}\n`);
    await run('ssh-keygen', ['-H', '-f', knownHosts]);
    expect(await readFile(knownHosts, 'utf8')).toContain('|1|');

    const offered = await app.client.call('hostKeys.knownHosts', { environmentId });
    expect(offered.entries).toEqual([{ hostPort: targetHostPort(), keyType: 'ssh-ed25519', fingerprint: await target.hostFingerprint(), line: 2, hashed: true, pinned: null }]);
    expect(offered.notes).toEqual([`known_hosts line 1 (@revoked) for ${targetHostPort()} is not offered as a pin.`]);

    expect(await app.client.call('hostKeys.importKnownHosts', { environmentId, hostPort: targetHostPort() })).toEqual({ hostPort: targetHostPort(), fingerprint: await target.hostFingerprint() });
    expect(await newestRow('host-key.import')).toMatchObject({ outcome: 'success', target: targetHostPort() });
    expectOk(await test());
    await expect(app.client.call('hostKeys.importKnownHosts', { environmentId, hostPort: jumpHostPort() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await newestRow('host-keys.import-known-hosts')).toMatchObject({ outcome: 'refused', error: expect.stringContaining(`no usable key for ${jumpHostPort()}`) });
  });

  it('checks the jump hop’s key on every connection: a changed hop key is refused, then re-pinned for that hop', async () => {
    const before = await jump.hostFingerprint();
    await jump.replaceHostKey({ dropSessions: true });
    const after = await jump.hostFingerprint();
    await app.client.call('connections.setMethod', { environmentId, selected: 'ssh' });

    expect(await test()).toMatchObject({ ok: false, error: { code: 'HOST_KEY_CHANGED' }, previousFingerprint: before, presentedFingerprint: after, hostPort: jumpHostPort() });
    expect(await newestRow('host-key.mismatch')).toMatchObject({ outcome: 'refused', target: jumpHostPort() });
    await app.client.call('hostKeys.repin', { environmentId, hostPort: jumpHostPort(), previousFingerprint: before, fingerprint: after, confirm: true });
    expect(await newestRow('host-key.repin')).toMatchObject({ outcome: 'success', target: jumpHostPort(), details: { previousFingerprint: before, fingerprint: after } });
    expectOk(await test());
  });
});
