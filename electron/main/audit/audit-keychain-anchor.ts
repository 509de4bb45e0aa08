import type { SecretStore } from '../secrets/secret-store.ts';
import { parseSignedAnchor } from './audit-anchor-file.ts';
import type { AnchorReading, SignedAnchor } from './audit-chain.ts';

/** Keychain entry beside the audit key: the newest acknowledged row's seq and hash, signed. */
export const auditAnchorSecret = 'audit/anchor';

/**
 * The monotonic copy of the chain's head, kept in the OS keychain beside the key. Someone who
 * can replace files in the data folder (database and head file together, an old backup, an
 * emptied table) cannot move this one back, so `seq` here is the least the table must hold.
 * The trail only ever writes a higher seq, except when an operator acknowledges a finding.
 */
export class AuditKeychainAnchor {
  private readonly secrets: SecretStore;

  constructor(secrets: SecretStore) {
    this.secrets = secrets;
  }

  async read(): Promise<AnchorReading> {
    let text: string | null;
    try {
      text = await this.secrets.get(auditAnchorSecret);
    } catch (error) {
      return { kind: 'unreadable', message: error instanceof Error ? error.message : String(error) };
    }
    if (text === null) return { kind: 'absent' };
    return parseSignedAnchor(text);
  }

  async write(anchor: SignedAnchor): Promise<void> {
    await this.secrets.set(auditAnchorSecret, JSON.stringify(anchor));
  }
}
