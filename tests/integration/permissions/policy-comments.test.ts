import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type KiopsClient } from '../../../shared/contract/client.ts';
import type { OrganisationPolicy } from '../../../shared/contract/policy.ts';
import { createKiopsCore, type KiopsCore } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { OrganisationPolicyFile } from '../../../electron/main/permissions/organisation-policy.ts';
import { MemorySecretStore } from '../../../electron/main/secrets/memory-secret-store.ts';

/**
 * A policy file written by hand keeps its comments and its other lines when the in-app editor
 * changes one rule through `policy.save`; the permission gate still reads it with the schema.
 */
describe('organisation policy editor: a hand-written file keeps its comments', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiops-policy-comments-'));
  const policyPath = join(dataDir, 'organisation-policy.yaml');
  let core: KiopsCore;
  let client: KiopsClient;

  beforeAll(async () => {
    core = await createKiopsCore({ dataDir, shell: 'browser', version: 'test', secrets: new MemorySecretStore(), logger: { error: () => {}, warn: () => {} } });
    const sender = { transport: 'memory', origin: 'policy-comments-test' } as const;
    core.senderPolicy.allow((candidate) => candidate.origin === sender.origin);
    client = createClient(createMemoryTransport(core.router, sender));
  });

  afterAll(async () => {
    await core?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const handWritten = [
    '# Acme permission policy, owned by the platform team (#platform).',
    '# Distributed by Ansible; local edits are fine on dev machines.',
    'version: 1',
    'default: [logs]   # everyone may read logs',
    '',
    'rules:',
    '  # production: on-call may run commands, nobody scales by hand',
    '  - match: { tag: production }',
    '    allow: [logs, commands]',
    '  # staging clusters are named stg-*',
    "  - match: { name: 'stg-*' }  # quoted on purpose",
    '    allow: [logs, commands, management]',
    '  - match: { id: env-0001 }',
    '    allow:',
    '      - logs   # the shared demo box',
    '',
  ].join('\n');

  const base = (): OrganisationPolicy => ({
    version: 1,
    default: ['logs'],
    rules: [
      { match: { tag: 'production' }, allow: ['logs', 'commands'] },
      { match: { name: 'stg-*' }, allow: ['logs', 'commands', 'management'] },
      { match: { id: 'env-0001' }, allow: ['logs'] },
    ],
  });

  // one rule changed at a time, in each place a rule can say something; `changed` = the lines that may differ
  const changes: { name: string; change: (policy: OrganisationPolicy) => void; changed: number[] }[] = [
    { name: 'production gains management', change: (p) => (p.rules[0]!.allow = ['logs', 'commands', 'management']), changed: [8] },
    { name: 'staging loses commands', change: (p) => (p.rules[1]!.allow = ['logs', 'management']), changed: [11] },
    { name: 'the staging pattern is renamed', change: (p) => (p.rules[1]!.match = { name: 'staging-*' }), changed: [10] },
    { name: 'the demo box may also run commands', change: (p) => (p.rules[2]!.allow = ['logs', 'commands']), changed: [13, 14] },
    { name: 'the default grants nothing', change: (p) => (p.default = []), changed: [3] },
    { name: 'production matches by tag prod', change: (p) => (p.rules[0]!.match = { tag: 'prod' }), changed: [7] },
  ];

  const comments = handWritten.split('\n').flatMap((line) => (line.includes('#') ? [line.slice(line.indexOf('#'))] : []));

  for (const { name, change, changed } of changes) {
    it(`${name}: the comments and the unrelated lines stay, the schema still reads it`, async () => {
      writeFileSync(policyPath, handWritten);
      const view = await client.call('policy.get', {});
      expect(view).toMatchObject({ state: 'loaded', format: 'yaml', policy: base() });
      const policy = base();
      change(policy);
      const saved = await client.call('policy.save', { policy, revision: view.revision });
      expect(saved).toMatchObject({ state: 'loaded', policy });

      const text = readFileSync(policyPath, 'utf8');
      for (const comment of comments) expect(text).toContain(comment);
      const before = handWritten.split('\n');
      const after = text.split('\n');
      expect(after).toHaveLength(before.length + (name === 'the demo box may also run commands' ? 1 : 0));
      before.forEach((line, index) => {
        if (!changed.includes(index)) expect(after, `line ${index + 1}`).toContain(line);
      });
      expect(await new OrganisationPolicyFile(policyPath).current()).toMatchObject({ kind: 'loaded', policy });
    });
  }

  it('a rule added and one removed: the comments of the rules kept are still there', async () => {
    writeFileSync(policyPath, handWritten);
    const view = await client.call('policy.get', {});
    const policy = base();
    policy.rules.splice(2, 1);
    policy.rules.push({ match: { name: 'qa-*' }, allow: ['logs', 'commands'] });
    policy.rules.push({ match: { tag: 'sandbox' }, allow: ['logs', 'commands', 'management'] });
    await client.call('policy.save', { policy, revision: view.revision });
    const text = readFileSync(policyPath, 'utf8');
    for (const comment of ['# Acme permission policy, owned by the platform team (#platform).', '# Distributed by Ansible; local edits are fine on dev machines.', '# everyone may read logs', '# production: on-call may run commands, nobody scales by hand', '# staging clusters are named stg-*', '# quoted on purpose']) {
      expect(text).toContain(comment);
    }
    expect(text.indexOf('version: 1')).toBeLessThan(text.indexOf('rules:'));
    expect(await new OrganisationPolicyFile(policyPath).current()).toMatchObject({ kind: 'loaded', policy });
  });

  it('a JSON file stays JSON and the editor is told it can hold no comments', async () => {
    writeFileSync(policyPath, `${JSON.stringify(base(), null, 2)}\n`);
    const view = await client.call('policy.get', {});
    expect(view).toMatchObject({ state: 'loaded', format: 'json' });
    const policy = base();
    policy.rules[0]!.allow = ['logs'];
    await client.call('policy.save', { policy, revision: view.revision });
    expect(JSON.parse(readFileSync(policyPath, 'utf8'))).toEqual(policy);
    expect(await client.call('policy.get', {})).toMatchObject({ format: 'json', policy });
  });
});
