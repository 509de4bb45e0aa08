import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createClient, type KiopsClient } from '../../../shared/contract/client.ts';
import type { OrganisationPolicy } from '../../../shared/contract/policy.ts';
import { createKiopsCore, type KiopsCore } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { OrganisationPolicyFile, policyGrants } from '../../../electron/main/permissions/organisation-policy.ts';
import { MemorySecretStore } from '../../../electron/main/secrets/memory-secret-store.ts';

/** The in-app policy editor, through the contract, against the file the permission gate reads. */
describe('organisation policy editor', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiops-policy-editor-'));
  const policyPath = join(dataDir, 'organisation-policy.yaml');
  let core: KiopsCore;
  let client: KiopsClient;

  beforeAll(async () => {
    core = await createKiopsCore({ dataDir, shell: 'browser', version: 'test', secrets: new MemorySecretStore(), logger: { error: () => {}, warn: () => {} } });
    const sender = { transport: 'memory', origin: 'policy-editor-test' } as const;
    core.senderPolicy.allow((candidate) => candidate.origin === sender.origin);
    client = createClient(createMemoryTransport(core.router, sender));
  });

  afterAll(async () => {
    await core?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const refusal = async (promise: Promise<unknown>): Promise<ApiError> => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof ApiError) return error;
      throw error;
    }
    throw new Error('the call was not refused');
  };

  const newestRow = async () => (await client.call('audit.list', { limit: 1 })).rows[0];

  // generated variants of what an organisation writes: per environment id, name pattern and tag
  const policies: OrganisationPolicy[] = [
    { version: 1, default: ['logs'], rules: [{ match: { tag: 'production' }, allow: ['logs', 'commands'] }] },
    { version: 1, rules: [{ match: { name: 'prod-*' }, allow: ['logs', 'commands', 'management'] }, { match: { tag: 'non-production' }, allow: [] }] },
    { version: 1, default: ['logs', 'commands', 'management'], rules: [{ match: { id: 'env-0001' }, allow: ['logs'] }, { match: { name: 'db-??' }, allow: ['logs', 'management'] }] },
  ];

  it('with no file: absent, writable, and production keeps its logs-only default in the gate', async () => {
    const view = await client.call('policy.get', {});
    expect(view).toMatchObject({ path: policyPath, state: 'absent', writable: true, revision: 'absent' });
    const state = await new OrganisationPolicyFile(policyPath).current();
    expect([...policyGrants(state, { id: 'p', name: 'prod', kind: 'kubernetes', production: true }).granted]).toEqual(['logs']);
  });

  for (const [index, policy] of policies.entries()) {
    it(`saves policy variant ${index + 1} to the file the gate reads, audited with before and after`, async () => {
      const before = await client.call('policy.get', {});
      const saved = await client.call('policy.save', { policy, revision: before.revision });
      expect(saved).toMatchObject({ state: 'loaded', policy, writable: true });
      expect(saved.revision).not.toBe(before.revision);
      // the file is the source of truth: the gate's own reader finds exactly the saved rules
      const state = await new OrganisationPolicyFile(policyPath).current();
      expect(state).toMatchObject({ kind: 'loaded', policy });
      expect(readFileSync(policyPath, 'utf8')).toContain('version: 1');
      const row = await newestRow();
      expect(row).toMatchObject({ action: 'policy.save', target: policyPath, outcome: 'success' });
      expect(row?.details['after']).toEqual(policy);
      expect(row?.details['before']).toEqual(before.state === 'loaded' ? before.policy : { state: before.state });
    });
  }

  it('a production environment gets what the saved rule grants', async () => {
    const view = await client.call('policy.get', {});
    await client.call('policy.save', { policy: { version: 1, rules: [{ match: { tag: 'production' }, allow: ['logs', 'commands', 'management'] }] }, revision: view.revision });
    const state = await new OrganisationPolicyFile(policyPath).current();
    expect([...policyGrants(state, { id: 'p', name: 'prod', kind: 'docker', production: true }).granted].sort()).toEqual(['commands', 'logs', 'management']);
  });

  it('refuses a save based on a stale revision, leaves the file alone and records the refusal', async () => {
    const view = await client.call('policy.get', {});
    const text = readFileSync(policyPath, 'utf8');
    const error = await refusal(client.call('policy.save', { policy: { version: 1, default: [], rules: [] }, revision: `${view.revision.slice(0, -4)}0000` }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('changed since it was opened');
    expect(readFileSync(policyPath, 'utf8')).toBe(text);
    expect(await newestRow()).toMatchObject({ action: 'policy.save', outcome: 'failure' });
  });

  it('refuses a policy the file schema rejects (the same schema), with the reason', async () => {
    const view = await client.call('policy.get', {});
    const text = readFileSync(policyPath, 'utf8');
    const invalid: unknown[] = [
      { version: 2, rules: [] },
      { version: 1, rules: [{ match: { name: 'a', tag: 'b' }, allow: ['logs'] }] },
      { version: 1, rules: [{ match: { tag: 'x' }, allow: ['delete'] }] },
      { version: 1, rules: [{ match: { tag: 'x' }, alow: ['logs'] }] },
    ];
    for (const policy of invalid) {
      const error = await refusal((client.call as (name: string, input: unknown) => Promise<unknown>)('policy.save', { policy, revision: view.revision }));
      expect(error.code, JSON.stringify(policy)).toBe('INVALID_INPUT');
    }
    expect(readFileSync(policyPath, 'utf8')).toBe(text);
  });

  it('a read-only (managed) file is shown as such and never written', async () => {
    const managed: OrganisationPolicy = { version: 1, default: ['logs'], rules: [] };
    writeFileSync(policyPath, 'version: 1\ndefault: [logs]\n');
    chmodSync(policyPath, 0o444);
    try {
      const view = await client.call('policy.get', {});
      expect(view).toMatchObject({ state: 'loaded', policy: managed, writable: false });
      expect(view.readOnlyReason).toContain('managed by your organisation');
      const error = await refusal(client.call('policy.save', { policy: { version: 1, default: ['logs', 'commands', 'management'], rules: [] }, revision: view.revision }));
      expect(error.code).toBe('PERMISSION_DENIED');
      expect(readFileSync(policyPath, 'utf8')).toBe('version: 1\ndefault: [logs]\n');
      expect(await newestRow()).toMatchObject({ action: 'policy.save', outcome: 'refused' });
    } finally {
      chmodSync(policyPath, 0o644);
    }
  });

  it('an invalid file is reported with its problem, and a save replaces it', async () => {
    writeFileSync(policyPath, 'version: 1\nrules:\n  - match: { tag: production }\n    alow: [logs]\n');
    const view = await client.call('policy.get', {});
    expect(view.state).toBe('invalid');
    expect(view.problem).toContain('alow');
    const saved = await client.call('policy.save', { policy: { version: 1, rules: [{ match: { tag: 'production' }, allow: ['logs'] }] }, revision: view.revision });
    expect(saved.state).toBe('loaded');
    expect((await newestRow())?.details['before']).toEqual({ state: 'invalid' });
  });
});
