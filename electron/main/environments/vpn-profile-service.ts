import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { VpnProfileView } from '../../../shared/contract/environments.ts';
import { AppError, keyedText } from '../../../shared/errors.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { VpnGateway } from '../connections/vpn-gateway.ts';
import { parseVpnProfile } from '../connections/vpn/vpn-profile.ts';
import { vpnProfileKey } from '../connections/vpn/vpn-manager.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { AppDatabase } from '../storage/database.ts';
import { parseStoredRow } from '../storage/stored-row.ts';
import { deleteSecrets, saveSecretsThenRow } from './secrets-then-row.ts';

const rowSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['openvpn', 'wireguard']),
  secret_keys: z.string(),
  created_at: z.string(),
});
type ProfileRow = z.infer<typeof rowSchema>;

/**
 * VPN profiles (OpenVPN .ovpn, WireGuard .conf). The whole profile is a secret (it holds keys),
 * so it lives in the keychain under `vpn/<id>/profile`; SQLite keeps the name and kind. The
 * profile is checked (no script hooks, plugins or file references) before anything is saved.
 */
export class VpnProfileService {
  private readonly db: AppDatabase;
  private readonly secrets: SecretStore;
  private readonly trail: AuditTrail;
  private readonly vpn: VpnGateway;
  private readonly now: () => Date;

  constructor(options: { db: AppDatabase; secrets: SecretStore; trail: AuditTrail; vpn: VpnGateway; now?: () => Date }) {
    this.db = options.db;
    this.secrets = options.secrets;
    this.trail = options.trail;
    this.vpn = options.vpn;
    this.now = options.now ?? (() => new Date());
  }

  list(): VpnProfileView[] {
    return this.rows().map((row) => this.toView(row));
  }

  get(id: string): VpnProfileView {
    const row = this.rows().find((r) => r.id === id);
    if (row === undefined) throw new AppError('NOT_FOUND', 'This VPN profile does not exist (any more); choose another one.', { vpnProfileId: id }, { key: 'environments.vpn.profileNotFound' });
    return this.toView(row);
  }

  add(name: string, profileText: string): Promise<VpnProfileView> {
    return this.trail.audited({ action: 'vpn-profile.add', target: name }, async () => {
      if (this.rows().some((row) => row.name.toLowerCase() === name.toLowerCase())) {
        throw new AppError('CONFLICT', `A VPN profile named "${name}" already exists.`, undefined, { key: 'environments.vpn.profileNameTaken', params: { name } });
      }
      const profile = parseVpnProfile(profileText);
      const id = randomUUID();
      const key = vpnProfileKey(id);
      await saveSecretsThenRow(this.secrets, [[key, profileText]], () =>
        this.db
          .prepare('INSERT INTO vpn_profiles (id, name, kind, secret_keys, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(id, name, profile.kind, JSON.stringify([key]), this.now().toISOString()),
      );
      return this.get(id);
    });
  }

  remove(id: string, usedBy: readonly string[]): Promise<number> {
    const profile = this.get(id);
    return this.trail.audited({ action: 'vpn-profile.remove', target: profile.name, details: { kind: profile.kind } }, async () => {
      if (usedBy.length > 0) {
        throw new AppError('CONFLICT', `The VPN profile "${profile.name}" is still used by ${usedBy.join(', ')}; change those environments first.`, undefined, { key: 'environments.vpn.profileInUse', params: { name: profile.name, usedBy: usedBy.join(', ') } });
      }
      await this.vpn.tearDown(id);
      const row = this.rows().find((r) => r.id === id);
      const keys = row === undefined ? [] : parseStoredRow(z.array(z.string()), JSON.parse(row.secret_keys), { table: 'vpn_profiles', key: id });
      const deleted = await deleteSecrets(this.secrets, keys);
      this.db.prepare('DELETE FROM vpn_profiles WHERE id = ?').run(id);
      return deleted;
    });
  }

  private toView(row: ProfileRow): VpnProfileView {
    const state = this.vpn.state(row.id);
    const why = state === 'failed' || state === 'connecting' ? this.vpn.reason?.(row.id) : undefined;
    const reason = why === undefined ? {} : { reason: why.reason, ...(why.text === undefined ? {} : { reasonText: keyedText(why.text) }) };
    return { id: row.id, name: row.name, kind: row.kind, state, ...reason, createdAt: row.created_at };
  }

  private rows(): ProfileRow[] {
    return this.db
      .prepare('SELECT * FROM vpn_profiles ORDER BY name COLLATE NOCASE')
      .all()
      .map((raw, index) => parseStoredRow(rowSchema, raw, { table: 'vpn_profiles', key: index }));
  }
}
