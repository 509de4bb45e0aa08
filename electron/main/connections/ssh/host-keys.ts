import { createHash } from 'node:crypto';
import { AppError } from '../../../../shared/errors.ts';

/** Pinned host keys by `host:port`, as OpenSSH `SHA256:…` fingerprints. Persisted by the caller (SQLite). */
export interface HostKeyStore {
  get(hostPort: string): Promise<string | null>;
  set(hostPort: string, fingerprint: string): Promise<void>;
}

/**
 * What to do with a host whose key is not pinned yet:
 * - `{ kind: 'ask' }` refuses with HOST_KEY_UNKNOWN carrying the fingerprint, so the UI can
 *   show it and retry with `{ kind: 'accept', fingerprint }` once the user confirmed it;
 * - `{ kind: 'accept', fingerprint }` pins the key only if it is exactly the confirmed one;
 * - `{ kind: 'trust-on-first-use' }` pins whatever the host presents and reports it;
 * - `{ kind: 'accept-any', hostPort, fingerprints }` pins the key of that one host if it is one
 *   of the listed ones (keys from known_hosts the user chose to import);
 * - `{ kind: 'replace', hostPort, previousFingerprint, fingerprint }` re-pins a CHANGED key, but
 *   only the exact pair the user saw and confirmed on the "host key changed" screen.
 * Any other pinned key that changed is always refused.
 */
export type UnknownHostKeyPolicy =
  | { kind: 'ask' }
  | { kind: 'accept'; fingerprint: string }
  | { kind: 'trust-on-first-use' }
  | { kind: 'accept-any'; hostPort: string; fingerprints: readonly string[] }
  | { kind: 'replace'; hostPort: string; previousFingerprint: string; fingerprint: string };

export interface PinnedHostKey {
  readonly hostPort: string;
  readonly fingerprint: string;
  readonly keyType: string;
}

/** OpenSSH's `ssh-keygen -lf` form: `SHA256:` + unpadded base64 of the SHA-256 of the key blob. */
export function openSshFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type (`ssh-ed25519`, `ecdsa-sha2-nistp256`, …) is the first string of the blob. */
export function hostKeyType(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const length = keyBlob.readUInt32BE(0);
  return length > 0 && length < 64 && keyBlob.length >= 4 + length ? keyBlob.subarray(4, 4 + length).toString('ascii') : 'unknown';
}

/**
 * Decides on a presented host key. Resolves to the pinned key when the connection may go on;
 * rejects with HOST_KEY_CHANGED / HOST_KEY_UNKNOWN otherwise.
 */
export async function checkHostKey(
  store: HostKeyStore,
  hostPort: string,
  keyBlob: Buffer,
  policy: UnknownHostKeyPolicy,
): Promise<{ pinned: PinnedHostKey; newlyPinned: boolean }> {
  const fingerprint = openSshFingerprint(keyBlob);
  const keyType = hostKeyType(keyBlob);
  const pinned = { hostPort, fingerprint, keyType };
  const known = await store.get(hostPort);
  if (known === fingerprint) return { pinned, newlyPinned: false };
  if (policy.kind === 'replace' && policy.hostPort === hostPort && policy.previousFingerprint === known && policy.fingerprint === fingerprint) {
    await store.set(hostPort, fingerprint);
    return { pinned, newlyPinned: true };
  }
  if (known !== null) {
    throw new AppError(
      'HOST_KEY_CHANGED',
      `The host key of ${hostPort} has changed: it was ${known} and is now ${fingerprint} (${keyType}). ` +
        'Someone may be intercepting the connection, or the server was reinstalled. The app will not connect until you verify the new key with the server’s administrator and replace the pinned one.',
      { hostPort, previousFingerprint: known, presentedFingerprint: fingerprint, keyType },
      { key: 'connections.ssh.hostKeyChanged', params: { hostPort, previous: known, fingerprint, keyType } },
    );
  }
  const accepted =
    policy.kind === 'trust-on-first-use' ||
    (policy.kind === 'accept' && policy.fingerprint === fingerprint) ||
    (policy.kind === 'accept-any' && policy.hostPort === hostPort && policy.fingerprints.includes(fingerprint));
  if (!accepted) {
    const mismatch = policy.kind === 'accept' ? ` It does not match the fingerprint you confirmed (${policy.fingerprint}).` : '';
    throw new AppError(
      'HOST_KEY_UNKNOWN',
      `${hostPort} is not known yet. Its host key fingerprint is ${fingerprint} (${keyType}); confirm it matches the server’s before connecting.${mismatch}`,
      { hostPort, presentedFingerprint: fingerprint, keyType },
      policy.kind === 'accept'
        ? { key: 'connections.ssh.hostKeyUnknownMismatch', params: { hostPort, fingerprint, keyType, confirmed: policy.fingerprint } }
        : { key: 'connections.ssh.hostKeyUnknown', params: { hostPort, fingerprint, keyType } },
    );
  }
  await store.set(hostPort, fingerprint);
  return { pinned, newlyPinned: true };
}
