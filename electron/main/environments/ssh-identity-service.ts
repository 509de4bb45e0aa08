import { randomUUID } from 'node:crypto';
// ssh2 is CommonJS and Node's ESM loader cannot see `utils` as a named export
import ssh2 from 'ssh2';
import { z } from 'zod';
import type { SshIdentityView } from '../../../shared/contract/environments.ts';
import { AppError } from '../../../shared/errors.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import { openSshFingerprint } from '../connections/ssh/host-keys.ts';
import { identityFromAgent, identityFromSecrets, type IdentitySource } from '../connections/ssh/identity.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { AppDatabase } from '../storage/database.ts';
import { parseStoredRow } from '../storage/stored-row.ts';
import { deleteSecrets, saveSecretsThenRow } from './secrets-then-row.ts';

const { utils } = ssh2;

export type SshIdentityInput =
  | { readonly kind: 'private-key'; readonly name: string; readonly privateKey: string; readonly passphrase?: string | undefined }
  | { readonly kind: 'agent'; readonly name: string };

const rowSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['private-key', 'agent']),
  key_type: z.string().nullable(),
  fingerprint: z.string().nullable(),
  has_passphrase: z.union([z.literal(0), z.literal(1)]),
  secret_keys: z.string(),
  created_at: z.string(),
});
type IdentityRow = z.infer<typeof rowSchema>;

export const identityKeys = (id: string) => ({ privateKey: `ssh-identity/${id}/private-key`, passphrase: `ssh-identity/${id}/passphrase` });

/**
 * SSH identities: a private key (ed25519, ECDSA, RSA; with or without passphrase) kept in the
 * keychain, or "use the running ssh-agent". SQLite keeps the name, key type and the PUBLIC
 * key's fingerprint. A key and passphrase are checked when added, so a wrong passphrase is
 * refused here rather than at the first connection.
 */
export class SshIdentityService {
  private readonly db: AppDatabase;
  private readonly secrets: SecretStore;
  private readonly trail: AuditTrail;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly now: () => Date;

  constructor(options: { db: AppDatabase; secrets: SecretStore; trail: AuditTrail; env?: Readonly<Record<string, string | undefined>>; now?: () => Date }) {
    this.db = options.db;
    this.secrets = options.secrets;
    this.trail = options.trail;
    this.env = options.env ?? process.env;
    this.now = options.now ?? (() => new Date());
  }

  list(): SshIdentityView[] {
    return this.rows().map(toView);
  }

  get(id: string): SshIdentityView {
    const row = this.row(id);
    if (row === null) throw new AppError('NOT_FOUND', 'This SSH identity does not exist (any more); choose another one.', { identityId: id }, { key: 'environments.ssh.identityNotFound' });
    return toView(row);
  }

  /** Reads the key from the keychain at each (re)connect, so it is in memory only while connecting. */
  identitySource(id: string): IdentitySource {
    const identity = this.get(id);
    if (identity.kind === 'agent') return identityFromAgent(this.env);
    const keys = identityKeys(id);
    return identityFromSecrets(this.secrets, identity.hasPassphrase ? keys : { privateKey: keys.privateKey });
  }

  add(input: SshIdentityInput): Promise<SshIdentityView> {
    return this.trail.audited({ action: 'ssh-identity.add', target: input.name, details: { kind: input.kind } }, async () => {
      if (this.rows().some((row) => row.name.toLowerCase() === input.name.toLowerCase())) {
        throw new AppError('CONFLICT', `An SSH identity named "${input.name}" already exists.`, undefined, { key: 'environments.ssh.identityNameTaken', params: { name: input.name } });
      }
      const id = randomUUID();
      const createdAt = this.now().toISOString();
      if (input.kind === 'agent') {
        this.insert({ id, name: input.name, kind: 'agent', key_type: null, fingerprint: null, has_passphrase: 0, secret_keys: '[]', created_at: createdAt });
        return this.get(id);
      }
      const checked = checkKey(input.privateKey, input.passphrase);
      const keys = identityKeys(id);
      const entries: Array<readonly [string, string]> = [[keys.privateKey, input.privateKey]];
      if (checked.encrypted && input.passphrase !== undefined) entries.push([keys.passphrase, input.passphrase]);
      await saveSecretsThenRow(this.secrets, entries, () =>
        this.insert({
          id,
          name: input.name,
          kind: 'private-key',
          key_type: checked.keyType,
          fingerprint: checked.fingerprint,
          has_passphrase: checked.encrypted ? 1 : 0,
          secret_keys: JSON.stringify(entries.map(([key]) => key)),
          created_at: createdAt,
        }),
      );
      return this.get(id);
    });
  }

  /** Refuses while an environment still uses the identity. */
  remove(id: string, usedBy: readonly string[]): Promise<number> {
    const identity = this.get(id);
    return this.trail.audited({ action: 'ssh-identity.remove', target: identity.name, details: { kind: identity.kind } }, async () => {
      if (usedBy.length > 0) {
        throw new AppError('CONFLICT', `The SSH identity "${identity.name}" is still used by ${usedBy.join(', ')}; change those environments first.`, undefined, { key: 'environments.ssh.identityInUse', params: { name: identity.name, usedBy: usedBy.join(', ') } });
      }
      const row = this.row(id);
      const keys = row === null ? [] : parseStoredRow(z.array(z.string()), JSON.parse(row.secret_keys), { table: 'ssh_identities', key: id });
      const deleted = await deleteSecrets(this.secrets, keys);
      this.db.prepare('DELETE FROM ssh_identities WHERE id = ?').run(id);
      return deleted;
    });
  }

  private insert(row: IdentityRow): void {
    this.db
      .prepare(
        `INSERT INTO ssh_identities (id, name, kind, key_type, fingerprint, has_passphrase, secret_keys, created_at)
         VALUES (@id, @name, @kind, @key_type, @fingerprint, @has_passphrase, @secret_keys, @created_at)`,
      )
      .run(row);
  }

  private rows(): IdentityRow[] {
    return this.db
      .prepare('SELECT * FROM ssh_identities ORDER BY name COLLATE NOCASE')
      .all()
      .map((raw, index) => parseStoredRow(rowSchema, raw, { table: 'ssh_identities', key: index }));
  }

  private row(id: string): IdentityRow | null {
    const raw: unknown = this.db.prepare('SELECT * FROM ssh_identities WHERE id = ?').get(id);
    return raw === undefined ? null : parseStoredRow(rowSchema, raw, { table: 'ssh_identities', key: id });
  }
}

function toView(row: IdentityRow): SshIdentityView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    ...(row.key_type === null ? {} : { keyType: row.key_type }),
    ...(row.fingerprint === null ? {} : { fingerprint: row.fingerprint }),
    hasPassphrase: row.has_passphrase === 1,
    createdAt: row.created_at,
  };
}

/** Parses the key the way ssh2 will; messages never quote the key or the passphrase. */
export function checkKey(privateKey: string, passphrase: string | undefined): { keyType: string; fingerprint: string; encrypted: boolean } {
  const plain = utils.parseKey(privateKey);
  const encrypted = plain instanceof Error && /no passphrase given/i.test(plain.message);
  const parsed = encrypted ? utils.parseKey(privateKey, passphrase) : plain;
  if (parsed instanceof Error) {
    if (/no passphrase given/i.test(parsed.message)) {
      throw new AppError('KEY_PASSPHRASE_INVALID', 'This private key is protected by a passphrase; enter it to add the key.', { reason: 'missing' }, { key: 'environments.ssh.keyPassphraseMissing' });
    }
    if (/bad passphrase|integrity check failed|decrypt/i.test(parsed.message)) {
      throw new AppError('KEY_PASSPHRASE_INVALID', 'The passphrase does not unlock this private key.', { reason: 'wrong' }, { key: 'environments.ssh.keyPassphraseWrong' });
    }
    throw new AppError('INVALID_INPUT', 'This is not a private key SSH can use (expected an OpenSSH, PEM or PuTTY ed25519, ECDSA or RSA private key).', undefined, { key: 'environments.ssh.notPrivateKey' });
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined || !key.isPrivateKey()) throw new AppError('INVALID_INPUT', 'This is a public key; paste the private key instead.', undefined, { key: 'environments.ssh.publicKey' });
  return { keyType: key.type, fingerprint: openSshFingerprint(key.getPublicSSH()), encrypted };
}
