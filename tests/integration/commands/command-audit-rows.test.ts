import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKiopsCore } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { createClient } from '../../../shared/contract/client.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { eventually, Recorded, startCommandsCore, waitUntil, type CommandsCore } from './execution-support.ts';

const env = useTestEnvironment('keyring', 'docker', 'ssh');

/** Class 3: a command's "started" row is committed before it runs, and always fits. */
describe('command audit rows: durable before the run, chained after it, never too big', () => {
  let docker: Docker;
  const project = `cmdaudit${Date.now().toString(36)}`;
  const container = `${project}-web-1`;

  beforeAll(async () => {
    docker = new Docker({ socketPath: env.docker.socketPath });
    const created = await docker.createContainer({ name: container, Image: env.docker.images.version1.reference, Cmd: ['sleep', '600'], Labels: { 'com.docker.compose.project': project }, StopSignal: 'SIGKILL', HostConfig: { NetworkMode: 'none' } });
    await created.start();
  });

  afterAll(async () => {
    await docker.getContainer(container).remove({ force: true }).catch(() => undefined);
  });

  it('kill -9 of the app while a command runs leaves its "started" row, and the chain verifies', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiops-kill9-'));
    const keychainService = `kiops-kill9-${randomUUID()}`;
    const line = `docker exec ${container} sleep 45`;
    const child = spawn(process.execPath, [join(import.meta.dirname, 'core-child.ts'), dataDir, keychainService, env.docker.socketPath, project, line], {
      env: { ...process.env, ...env.keyring.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const startedSeq = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /STARTED (\d+)/.exec(output);
        if (match) resolve(Number(match[1]));
      });
      child.on('exit', (code) => reject(new Error(`the child ended (${code}) before the command started: ${output} ${errors}`)));
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(output).not.toContain('ENDED');

    const core = await createKiopsCore({ dataDir, shell: 'browser', version: 'test', keychainService, probeTimeoutMs: 3_000, logger: { error: () => {}, warn: () => {} } });
    try {
      const sender = { transport: 'memory', origin: 'kill-test-reopen' } as const;
      core.senderPolicy.allow((s) => s.origin === sender.origin);
      const client = createClient(createMemoryTransport(core.router, sender));
      expect(await client.call('audit.verify', {})).toMatchObject({ ok: true });
      const started = (await client.call('audit.list', { limit: 10, action: 'command.run', outcome: 'started' })).rows;
      expect(started).toEqual([expect.objectContaining({ seq: startedSeq, outcome: 'started', details: expect.objectContaining({ decision: 'started', argv: ['docker', '--host=<engine-endpoint>', 'exec', container, 'sleep', '45'] }) })]);
      // No outcome was ever written for it: the app died while it ran.
      const outcomes = (await client.call('audit.list', { limit: 10, action: 'command.run' })).rows;
      expect(outcomes.filter((row) => row.details['startedSeq'] === startedSeq)).toEqual([]);
      for (const key of await core.secrets.list('').catch(() => [])) await core.secrets.delete(key).catch(() => false);
    } finally {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe('through the contract', () => {
    let app: CommandsCore;
    let serviceId = '';

    beforeAll(async () => {
      app = await startCommandsCore();
      serviceId = `${(await app.client.call('environments.addEngine', { name: 'local docker', engine: 'docker', socketPath: env.docker.socketPath })).id}:compose:${project}`;
    });

    afterAll(async () => {
      await app?.close();
    });

    /**
     * Lines inside the contract's 4,096 characters whose JSON would outgrow the row's details:
     * a control character is escaped to six characters (lone surrogates, which did the same, are
     * refused at the boundary now: see the test below).
     */
    const oversized = (): string[] => {
      const control = '\u0001';
      const quote = '"';
      return [
        `ls ${`a${control}`.repeat(2000)}`,
        `ls ${control.repeat(4000)}`,
        `echo ${`'${quote}' `.repeat(800)}`.slice(0, 4096),
        `ls ${'x'.repeat(4000)}`,
        `ls ${Array.from({ length: 2000 }, (_, i) => String(i % 10)).join(' ')}`.slice(0, 4096),
      ];
    };

    it.each(oversized().map((line, i) => [i, line] as const))('an oversized line (%i) is recorded, cut deterministically, and the chain still verifies', async (_i, line) => {
      for (const container of [undefined, `${project}-web-1`]) {
        const result = await app.client.call('commands.run', { serviceId, line, ...(container === undefined ? {} : { container }) });
        expect(['ran', 'blocked', 'needs-confirmation']).toContain(result.decision);
        const row = await app.newestAudit();
        expect(row?.details['argv']).toBeInstanceOf(Array);
        const argv = row?.details['argv'] as string[];
        expect(JSON.stringify(row?.details).length).toBeLessThanOrEqual(16_384);
        expect(argv.every((word) => word === word.toWellFormed())).toBe(true);
        if (result.decision === 'ran') expect(row?.details['startedSeq']).toBeTypeOf('number');
      }
      expect(await app.client.call('audit.verify', {})).toMatchObject({ ok: true });
    });

    it('a line holding a lone surrogate is refused at the boundary and runs nothing', async () => {
      const before = await app.newestAudit();
      await expect(app.client.call('commands.run', { serviceId, line: `ls a\uD800b` })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect((await app.newestAudit())?.seq).toBe(before?.seq);
    });

    it('a stream gets its started row before it starts and its outcome chained when it stops', async () => {
      const stream = new Recorded(app.client, 'commands.stream', { serviceId, line: `docker logs -f --tail 1 ${container}` });
      try {
        await waitUntil(() => stream.events.some((event) => event.kind === 'started'), 30_000, 'the stream');
        const [start] = (await app.client.call('audit.list', { limit: 1, action: 'command.run', outcome: 'started' })).rows;
        expect(start).toMatchObject({ outcome: 'started', details: { decision: 'started', mode: 'streaming', argv: ['docker', '--host=<engine-endpoint>', 'logs', '--follow', '--tail=1', container] } });
        stream.cancel();
        const outcome = await eventually(async () => {
          const [row] = (await app.client.call('audit.list', { limit: 1, action: 'command.run' })).rows;
          return row?.details['startedSeq'] === start?.seq ? row : undefined;
        }, 30_000, 'the outcome row');
        expect(outcome).toMatchObject({ outcome: 'success', details: { decision: 'ran', endReason: 'stopped' } });
      } finally {
        stream.cancel();
      }
    });

    it('an unknown service and an unknown container are refused with an audit row, nothing started', async () => {
      const starts = (await app.client.call('audit.list', { limit: 500, action: 'command.run', outcome: 'started' })).rows.length;
      const ghost = `ghost-environment:compose:${project}`;
      await expect(app.client.call('commands.run', { serviceId: ghost, line: 'ps' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await app.newestAudit()).toMatchObject({ outcome: 'refused', target: `unknown/service/${ghost}`, details: { decision: 'blocked', rule: 'target-unavailable', argv: ['ps'] } });
      await expect(app.client.call('commands.run', { serviceId, line: 'ps', container: 'ghost-container' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await app.newestAudit()).toMatchObject({ outcome: 'refused', target: 'local docker/container/ghost-container', details: { decision: 'blocked', rule: 'not-in-service' } });
      expect((await app.client.call('audit.list', { limit: 500, action: 'command.run', outcome: 'started' })).rows.length).toBe(starts);
    });

    it('a changed SSH host key met while preparing the command is refused and audited; nothing starts', async () => {
      const identity = await app.client.call('sshIdentities.add', { kind: 'private-key', name: 'key', privateKey: await readFile(env.ssh.keys.ed25519.privateKeyPath, 'utf8') });
      const engine = await app.client.call('environments.addEngine', {
        name: 'reinstalled host',
        engine: 'docker',
        socketPath: env.docker.socketPath,
        connection: { selected: 'ssh', methods: ['ssh'], ssh: { host: 'localhost', port: env.ssh.port, username: env.ssh.user, identityId: identity.id } },
      });
      // Pin another key for localhost:port, as if the server had been reinstalled.
      const db = (await import('better-sqlite3')).default(join(app.dataDir, 'kiops.db'));
      db.prepare('INSERT OR REPLACE INTO ssh_host_keys VALUES (?, ?, ?)').run(`localhost:${env.ssh.port}`, `SHA256:${'B'.repeat(43)}`, 'x');
      db.close();
      const starts = (await app.client.call('audit.list', { limit: 500, action: 'command.run', outcome: 'started' })).rows.length;
      for (const line of ['uname -n', `docker exec ${container} env`]) {
        await expect(app.client.call('commands.run', { serviceId: `${engine.id}:compose:${project}`, line }), line).rejects.toMatchObject({ code: 'HOST_KEY_CHANGED' });
        const row = await app.newestAudit();
        expect(row, line).toMatchObject({ outcome: 'refused', environmentId: engine.id, details: { decision: 'blocked', rule: 'target-unavailable' } });
        expect(row?.error, line).toContain('has changed');
      }
      expect((await app.client.call('audit.list', { limit: 500, action: 'command.run', outcome: 'started' })).rows.length).toBe(starts);
    });
  });
});
