// ssh2 is CommonJS and Node's ESM loader cannot see `utils` as a named export
import ssh2 from 'ssh2';
import { AppError } from '../../../../shared/errors.ts';
import { targetLabel, type SshTarget } from './ssh-errors.ts';

const { utils } = ssh2;

/**
 * How the app proves who it is. Private keys and passphrases come from the keychain at each
 * (re)connect through an `IdentitySource`, so they are held in memory only while connecting.
 */
export type SshIdentity =
  | { readonly kind: 'private-key'; readonly privateKey: string; readonly passphrase?: string }
  | { readonly kind: 'agent'; readonly socketPath: string };

export type IdentitySource = () => Promise<SshIdentity>;

/** The slice of the SecretStore this module needs. */
export interface SecretReader {
  get(key: string): Promise<string | null>;
}

/** Reads a key (and optional passphrase) from the keychain, or uses the running ssh-agent. */
export function identityFromSecrets(secrets: SecretReader, keys: { privateKey: string; passphrase?: string }): IdentitySource {
  return async () => {
    const privateKey = await secrets.get(keys.privateKey);
    if (privateKey === null) {
      throw new AppError('NOT_FOUND', 'The private key for this host is no longer in the keychain; add it again in the environment settings.', { secret: keys.privateKey }, { key: 'connections.ssh.privateKeyMissing' });
    }
    const passphrase = keys.passphrase ? await secrets.get(keys.passphrase) : null;
    return passphrase === null ? { kind: 'private-key', privateKey } : { kind: 'private-key', privateKey, passphrase };
  };
}

export function identityFromAgent(env: Readonly<Record<string, string | undefined>> = process.env): IdentitySource {
  return async () => {
    const socketPath = env.SSH_AUTH_SOCK;
    if (!socketPath) {
      throw new AppError('UNAVAILABLE', 'No ssh-agent is running for the app (SSH_AUTH_SOCK is not set). Start one and add your key, or choose a private key instead.', undefined, { key: 'connections.ssh.noAgent' });
    }
    return { kind: 'agent', socketPath };
  };
}

/**
 * Checks a private key and passphrase before handing them to ssh2, whose own errors do not
 * tell "wrong passphrase" from "missing passphrase". Messages never include the key.
 */
export function checkPrivateKey(identity: SshIdentity, target: SshTarget): void {
  if (identity.kind !== 'private-key') return;
  const parsed = utils.parseKey(identity.privateKey, identity.passphrase);
  if (!(parsed instanceof Error)) return;
  const label = targetLabel(target);
  const message = parsed.message;
  if (/no passphrase given/i.test(message)) {
    throw new AppError('KEY_PASSPHRASE_INVALID', `The private key for ${label} is protected by a passphrase; enter it to connect.`, { reason: 'missing' }, { key: 'connections.ssh.passphraseMissing', params: { host: label } });
  }
  if (/bad passphrase|integrity check failed|decrypt/i.test(message)) {
    throw new AppError('KEY_PASSPHRASE_INVALID', `The passphrase does not unlock the private key for ${label}.`, { reason: 'wrong' }, { key: 'connections.ssh.passphraseWrong', params: { host: label } });
  }
  throw new AppError('INVALID_INPUT', `The private key for ${label} is not a key SSH can use (expected an OpenSSH, PEM or PuTTY private key).`, undefined, { key: 'connections.ssh.keyUnusable', params: { host: label } });
}
