import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type KiopsClient } from '../../../shared/contract/client.ts';
import type { AuditRowView } from '../../../shared/contract/audit.ts';
import { createKiopsCore, type KiopsCore } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { MemorySecretStore } from '../../../electron/main/secrets/memory-secret-store.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { dataFiles } from '../../support/data-files.ts';

// The composition root as the renderer reaches it: real SQLite, real gnome-keyring, the
// contract's client over a JSON round trip.

const sender = { transport: 'memory', origin: 'core-test' } as const;

async function startCore(dataDir: string, extra: Partial<Parameters<typeof createKiopsCore>[0]> = {}) {
  const core = await createKiopsCore({ dataDir, shell: 'browser', version: 'test', logger: { error: () => {}, warn: () => {} }, ...extra });
  core.senderPolicy.allow((s) => s.origin === sender.origin);
  return { core, client: createClient(createMemoryTransport(core.router, sender)) };
}

describe('app core with the OS keychain', () => {
  useTestEnvironment('keyring');
  const keychainService = `kiops-core-test-${randomUUID()}`;
  let dataDir: string;
  let core: KiopsCore;
  let client: KiopsClient;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kiops-core-'));
    ({ core, client } = await startCore(dataDir, { keychainService }));
  });
  afterAll(async () => {
    await core?.close();
    for (const key of (await core?.secrets.list('')) ?? []) await core.secrets.delete(key);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports the keychain and the audit trail as writable', async () => {
    const info = await client.call('app.info', {});
    expect(info).toMatchObject({ shell: 'browser', keychain: { available: true }, audit: { available: true } });
  });

  it('lists recorded actions newest first, pages with beforeSeq, and verifies the chain', async () => {
    for (const name of ['web-1', 'web-2', 'web-3']) {
      core.audit.record({ action: 'pod.delete', target: `shop/${name}`, outcome: 'success', details: { namespace: 'shop' } });
    }
    const first = await client.call('audit.list', { limit: 2 });
    expect(first.rows.map((row) => row.target)).toEqual(['shop/web-3', 'shop/web-2']);
    expect(first.hasMore).toBe(true);
    const rest = await client.call('audit.list', { limit: 2, beforeSeq: first.rows[1]!.seq });
    expect(rest.rows.map((row) => row.target)).toEqual(['shop/web-1']);
    expect(rest.hasMore).toBe(false);
    const verification = await client.call('audit.verify', {});
    expect(verification).toMatchObject({ ok: true, rows: 3 });
  });

  it('streams rows to a live Audit Log page as they are recorded, until it unsubscribes', async () => {
    const seen: AuditRowView[] = [];
    const cancel = client.subscribe('audit.appended', {}, { event: (row) => seen.push(row) });
    core.audit.record({ action: 'deployment.scale', target: 'shop/web', outcome: 'success', details: { replicas: 3 } });
    await expect.poll(() => seen.map((row) => row.action)).toEqual(['deployment.scale']);
    cancel();
    // a page still subscribed sees the next row: by then the cancelled one would have too
    const stillOpen: AuditRowView[] = [];
    const cancelOther = client.subscribe('audit.appended', {}, { event: (row) => stillOpen.push(row) });
    core.audit.record({ action: 'deployment.scale', target: 'shop/web', outcome: 'success', details: { replicas: 4 } });
    await expect.poll(() => stillOpen.map((row) => row.details)).toEqual([{ replicas: 4 }]);
    cancelOther();
    expect(seen).toHaveLength(1);
  });

  it('exports every row as JSON lines a reviewer can re-verify', async () => {
    const exported = await client.call('audit.export', {});
    const lines = exported.jsonLines.trim().split('\n').map((line) => JSON.parse(line) as { seq: number; hash: string; prevHash: string });
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines[1]!.prevHash).toBe(lines[0]!.hash);
    expect(exported.fileName).toMatch(/^kiops-audit-.*\.jsonl$/);
  });

  it('keeps the audit key in the keychain, not under the data folder', async () => {
    const key = await core.secrets.get('audit/hmac-key');
    expect(key).toBeTruthy();
    for (const file of dataFiles(dataDir)) expect(file.bytes.includes(Buffer.from(key!)), file.name).toBe(false);
  });
});

describe('app core without an OS keychain', () => {
  it('shows why it cannot write, refuses to verify, and recovers when the keychain returns', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiops-core-nokeychain-'));
    const secrets = new MemorySecretStore({ available: false });
    const { core, client } = await startCore(dataDir, { secrets });
    try {
      const info = await client.call('app.info', {});
      expect(info.keychain.available).toBe(false);
      // the first-run screen: neither a keychain nor a vault keeps secrets yet
      expect(info.secretStore).toEqual({ kind: 'none', vault: 'absent' });
      expect(info.audit.available).toBe(false);
      expect(info.audit.reason).toMatch(/refuses/);
      await expect(client.call('audit.verify', {})).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
      expect(() => core.audit.record({ action: 'pod.delete', target: 'shop/web-1', outcome: 'success' })).toThrow(/audit/i);

      secrets.setAvailable(true);
      const retried = await client.call('app.reconnectKeychain', {});
      expect(retried).toMatchObject({ keychain: { available: true }, audit: { available: true }, secretStore: { kind: 'keychain', vault: 'absent' } });
    } finally {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
