import keytar from 'keytar';
import { AppError } from '../../../shared/errors.ts';
import { assertSecretKey, assertSecretValue, type SecretStore, type SecretStoreStatus } from './secret-store.ts';

/** The part of keytar this adapter uses; the composition root may hand in the module itself. */
export type KeytarApi = Pick<typeof keytar, 'getPassword' | 'setPassword' | 'deletePassword' | 'findCredentials'>;

export interface KeychainSecretStoreOptions {
  /** Keychain service name: one per app (`kiops-desktop`); tests use their own so they never touch real entries. */
  readonly service: string;
  readonly keytar?: KeytarApi;
  /** How long a call waits for the keychain, its turn included (`keychainAnswerMs`). */
  readonly answerMs?: number;
}

/**
 * A keychain call, its wait for its turn included, fails after this long: libsecret waits forever
 * on a Secret Service that accepted the D-Bus connection but does not answer (a stuck or
 * prompting keyring), and a window must not wait forever for its first screen with it.
 */
export const keychainAnswerMs = 10_000;

export const defaultKeychainService = 'kiops-desktop';

// Looked up by status(): reading an absent entry succeeds only when a keychain answers.
const probeAccount = 'kiops-keychain-probe';

const unavailableAdvice =
  'No OS keychain (Secret Service) is running or it is locked, so KIOPS Desktop cannot keep secrets. ' +
  'Secrets are never saved to disk in plain text. Start or unlock your keyring (for example GNOME Keyring or KWallet) and try again.';

/**
 * SecretStore backed by the OS keychain through keytar: one keychain entry per secret, with
 * the app's service name and the secret's key as account (on Linux: Secret Service items with
 * attributes `service` and `account`). There is deliberately no fallback when the keychain is
 * missing — callers get KEYCHAIN_UNAVAILABLE and nothing is persisted anywhere else.
 */
export class KeychainSecretStore implements SecretStore {
  private readonly service: string;
  private readonly keychain: KeytarApi;
  private readonly turns: OneAtATime;

  constructor(options: KeychainSecretStoreOptions) {
    if (options.service.length === 0) throw new AppError('INTERNAL', 'The keychain service name must not be empty.', undefined, { key: 'connections.secrets.noServiceName' });
    this.service = options.service;
    this.keychain = options.keytar ?? keytar;
    this.turns = new OneAtATime(options.answerMs ?? keychainAnswerMs);
  }

  async set(key: string, value: string): Promise<void> {
    assertSecretKey(key);
    assertSecretValue(key, value);
    await this.call('save', () => this.keychain.setPassword(this.service, key, value), value);
  }

  async get(key: string): Promise<string | null> {
    assertSecretKey(key);
    return this.call('read', () => this.keychain.getPassword(this.service, key));
  }

  async delete(key: string): Promise<boolean> {
    assertSecretKey(key);
    return this.call('delete', () => this.keychain.deletePassword(this.service, key));
  }

  async list(prefix: string): Promise<string[]> {
    // keytar has no "list accounts" call; findCredentials also returns values, which are
    // dropped here and never leave this function.
    const credentials = await this.call('list', () => this.keychain.findCredentials(this.service));
    return credentials
      .map((credential) => credential.account)
      .filter((account) => account.startsWith(prefix))
      .sort();
  }

  async status(): Promise<SecretStoreStatus> {
    try {
      await this.turns.run(() => this.keychain.getPassword(this.service, probeAccount));
      return { available: true };
    } catch (error) {
      const detail = keychainReason(error);
      return { available: false, reason: `${unavailableAdvice} (Keychain said: ${detail})`, text: { key: 'statusReasons.keychain.unavailable', params: { detail } } };
    }
  }

  /**
   * Every keytar rejection means the keychain could not do its job (no Secret Service, locked,
   * refused). The original error is not attached as `cause`: libsecret messages are not known
   * to echo values, but this way no secret can ride along into logs or IPC replies.
   */
  private async call<T>(verb: 'save' | 'read' | 'delete' | 'list', operation: () => Promise<T>, secretValue?: string): Promise<T> {
    try {
      return await this.turns.run(operation);
    } catch (error) {
      const reason = keychainReason(error, secretValue);
      throw new AppError(
        'KEYCHAIN_UNAVAILABLE',
        `Could not ${verb} the secret. ${unavailableAdvice} (Keychain said: ${reason})`,
        { reason },
        { key: `connections.secrets.keychain.${verb}`, params: { detail: reason } },
      );
    }
  }
}

function keychainReason(error: unknown, secretValue?: string): string {
  let text = error instanceof Error ? error.message : String(error);
  if (secretValue !== undefined && secretValue.length > 0) text = text.split(secretValue).join('[redacted]');
  return text.slice(0, 300);
}

/**
 * Runs keychain calls one at a time, in order: libsecret used from several of Node's worker
 * threads at once is not safe (atom/node-keytar#283: an abort in libgcrypt), and a window's
 * status probes run beside the saves of an environment being added. A call that has not answered
 * within `answerMs` of being asked fails with "did not answer". The calls after a hung one wait
 * for it (each failing at its own deadline) rather than start: each would block another of the
 * four threads Node shares with file and DNS work, in a libsecret call nothing can take back. A
 * call whose caller gave up while it waited is not started; once the hung call returns (the
 * keyring was restarted or answered at last), the calls asked after it run again.
 */
export class OneAtATime {
  private readonly answerMs: number;
  private previous: Promise<void> = Promise.resolve();

  constructor(answerMs: number) {
    this.answerMs = answerMs;
  }

  run<T>(operation: () => Promise<T>): Promise<T> {
    const turn = this.previous;
    let release: () => void = () => {};
    this.previous = new Promise<void>((resolve) => (release = resolve));
    let gaveUp = false;
    return new Promise<T>((resolve, reject) => {
      const deadline = setTimeout(() => {
        gaveUp = true;
        reject(new Error(`the keychain did not answer within ${Math.round(this.answerMs / 1000)} s`));
      }, this.answerMs);
      deadline.unref();
      void turn.then(async () => {
        if (gaveUp) return release();
        try {
          resolve(await operation());
        } catch (error) {
          reject(error);
        } finally {
          clearTimeout(deadline);
          release();
        }
      });
    });
  }
}
