import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditAnchorFileName } from '../../../electron/main/audit/audit-anchor-file.ts';
import { auditKeySecret } from '../../../electron/main/audit/audit-key.ts';
import { auditAnchorSecret } from '../../../electron/main/audit/audit-keychain-anchor.ts';
import { openAuditTrail, type AuditTrail } from '../../../electron/main/audit/audit-trail.ts';
import { KeychainSecretStore } from '../../../electron/main/secrets/keychain-secret-store.ts';
import { databaseFileName, openDatabase, type AppDatabase } from '../../../electron/main/storage/database.ts';

// Class 9 of issue 10: someone with write access to the data folder (not to the OS keychain)
// puts back an old database, cuts rows, or empties the trail. Real SQLite files, real
// gnome-keyring (started by tests/support/global-setup.ts).

const folders: string[] = [];
const services: string[] = [];
let serial = 0;

afterAll(async () => {
  for (const service of services) {
    const store = new KeychainSecretStore({ service });
    await store.delete(auditKeySecret).catch(() => false);
    await store.delete(auditAnchorSecret).catch(() => false);
  }
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

interface Place {
  readonly dataDir: string;
  readonly secrets: KeychainSecretStore;
}

function freshPlace(): Place {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiops-audit-replay-'));
  folders.push(dataDir);
  const service = `kiops-desktop-test-replay-${process.pid}-${(serial += 1)}`;
  services.push(service);
  return { dataDir, secrets: new KeychainSecretStore({ service }) };
}

async function open(place: Place): Promise<{ database: AppDatabase; trail: AuditTrail }> {
  const database = openDatabase(place.dataDir);
  const trail = await openAuditTrail({ database, secrets: place.secrets, dataDir: place.dataDir, actor: 'replay-test', onProblem: () => {} });
  return { database, trail };
}

/** Opens the trail, records `count` acknowledged actions (started + outcome rows each), closes. */
async function act(place: Place, count: number): Promise<void> {
  const { database, trail } = await open(place);
  try {
    expect(trail.status()).toEqual({ writable: true });
    for (let index = 0; index < count; index += 1) {
      await trail.audited({ action: 'deployment.scale', target: `prod/payments/deployment/api-${index}`, environmentId: 'prod', details: { replicas: index } }, () => index);
    }
  } finally {
    database.close();
  }
}

function copyFiles(from: string, to: string, names: readonly string[]): void {
  for (const name of names) {
    for (const suffix of ['', '-wal', '-shm']) {
      const source = join(from, `${name}${suffix}`);
      const target = join(to, `${name}${suffix}`);
      if (existsSync(source)) copyFileSync(source, target);
      else rmSync(target, { force: true });
    }
  }
}

function tamper(place: Place, sql: string): void {
  const database = openDatabase(place.dataDir);
  try {
    database.exec('DROP TRIGGER audit_trail_append_only_update; DROP TRIGGER audit_trail_append_only_delete; DROP TRIGGER audit_trail_contiguous_seq;');
    database.exec(sql);
  } finally {
    database.close();
  }
}

/** What the operator sees after the tampering: refused at open, refused writes, verify reports it, acknowledgement re-enables. */
async function expectCaught(place: Place, problem: string, message: RegExp): Promise<void> {
  const { database, trail } = await open(place);
  try {
    expect(trail.status()).toMatchObject({ writable: false, finding: { problem } });
    expect((await trail.verifyNow()).ok).toBe(false);
    expect(await trail.verifyNow()).toMatchObject({ problem, message: expect.stringMatching(message) });
    let ran = false;
    await expect(trail.audited({ action: 'pod.delete', target: 'prod/payments/pod/api-0' }, () => (ran = true))).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    expect(ran).toBe(false);

    const acknowledgement = await trail.acknowledge('Reviewed in the replay test');
    expect(acknowledgement).toMatchObject({ action: 'audit.reseal', details: { problem, reason: 'Reviewed in the replay test' } });
    expect(trail.status()).toEqual({ writable: true });
    await trail.audited({ action: 'pod.delete', target: 'prod/payments/pod/api-0' }, () => true);
    expect(await trail.verifyNow()).toMatchObject({ ok: true, resealedAt: [acknowledgement.seq] });
  } finally {
    database.close();
  }
  // ...and the acknowledged state survives a restart.
  const reopened = await open(place);
  try {
    expect(reopened.trail.status()).toEqual({ writable: true });
  } finally {
    reopened.database.close();
  }
}

describe('audit trail against replayed and cut files (real keychain)', () => {
  // generated variants: how much history there was when the copy was taken, and how much after
  const shapes = [
    { before: 1, after: 1 },
    { before: 2, after: 5 },
    { before: 6, after: 2 },
  ];

  for (const { before, after } of shapes) {
    it(`catches an old database put back together with its head file (${before} actions, then ${after} more)`, async () => {
      const place = freshPlace();
      const backup = mkdtempSync(join(tmpdir(), 'kiops-audit-backup-'));
      folders.push(backup);
      await act(place, before);
      copyFiles(place.dataDir, backup, [databaseFileName, auditAnchorFileName]);
      await act(place, after);
      copyFiles(backup, place.dataDir, [databaseFileName, auditAnchorFileName]);
      await expectCaught(place, 'truncated', new RegExp(`OS keychain records row ${2 * (before + after)}, the table ends at ${2 * before}`));
    });

    it(`catches rows cut off the end with an old head file put back (${before} + ${after} actions)`, async () => {
      const place = freshPlace();
      const backup = mkdtempSync(join(tmpdir(), 'kiops-audit-backup-'));
      folders.push(backup);
      await act(place, before);
      copyFiles(place.dataDir, backup, [auditAnchorFileName]);
      await act(place, after);
      tamper(place, `DELETE FROM audit_trail WHERE seq > ${2 * before}`);
      copyFiles(backup, place.dataDir, [auditAnchorFileName]);
      await expectCaught(place, 'truncated', /rows were cut, or an older copy of the database was put back/);
    });
  }

  for (const actions of [1, 3]) {
    it(`catches an emptied table with the head file deleted (${actions} actions): key present, trail empty`, async () => {
      const place = freshPlace();
      await act(place, actions);
      tamper(place, 'DELETE FROM audit_trail');
      rmSync(join(place.dataDir, auditAnchorFileName));
      await expectCaught(place, 'truncated', new RegExp(`trail is empty, but the OS keychain records ${2 * actions} rows`));
    });

    it(`catches a table cut to one row with the head file deleted (${actions} actions)`, async () => {
      const place = freshPlace();
      await act(place, actions);
      tamper(place, 'DELETE FROM audit_trail WHERE seq > 1');
      rmSync(join(place.dataDir, auditAnchorFileName));
      await expectCaught(place, 'truncated', new RegExp(`Rows 2–${2 * actions} are missing`));
    });
  }

  it('catches the whole data folder replaced by a new one while the key stays (key present, trail empty, no anchors)', async () => {
    const place = freshPlace();
    await act(place, 2);
    for (const name of [databaseFileName, `${databaseFileName}-wal`, `${databaseFileName}-shm`, auditAnchorFileName]) rmSync(join(place.dataDir, name), { force: true });
    await expectCaught(place, 'truncated', /trail is empty, but the OS keychain records 4 rows/);
  });

  it('catches a removed keychain anchor while the key stays and the table is empty', async () => {
    const place = freshPlace();
    await act(place, 1);
    tamper(place, 'DELETE FROM audit_trail');
    rmSync(join(place.dataDir, auditAnchorFileName));
    await place.secrets.delete(auditAnchorSecret);
    await expectCaught(place, 'anchor-missing', /key is in the OS keychain but the trail is empty/);
  });

  it('stops appends after verify finds an edited middle row, until it is acknowledged', async () => {
    const place = freshPlace();
    await act(place, 3);
    tamper(place, "UPDATE audit_trail SET target = 'prod/payments/deployment/other' WHERE seq = 3");
    const { database, trail } = await open(place);
    try {
      expect(trail.status()).toEqual({ writable: true }); // an edit in the middle is found by verify, not at open
      expect(await trail.verifyNow()).toMatchObject({ ok: false, problem: 'edited', atSeq: 3 });
      await expect(trail.start({ action: 'pod.delete', target: 'prod/payments/pod/api-0' })).rejects.toThrow(/Row 3 was changed/);
      await trail.acknowledge('Row 3 edit reviewed');
      expect(await trail.verifyNow()).toMatchObject({ ok: true, acknowledged: [{ problem: 'edited', atSeq: 3 }] });
    } finally {
      database.close();
    }
  });

  it('a fresh trail with untouched files opens writable and verifies after restarts', async () => {
    const place = freshPlace();
    await act(place, 2);
    await act(place, 2);
    const { database, trail } = await open(place);
    try {
      expect(await trail.verifyNow()).toMatchObject({ ok: true, rows: 8, anchorSeq: 8 });
    } finally {
      database.close();
    }
  });
});
