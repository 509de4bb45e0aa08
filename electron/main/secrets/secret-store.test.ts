import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors.ts';
import { KeychainSecretStore, type KeytarApi } from './keychain-secret-store.ts';
import { MemorySecretStore } from './memory-secret-store.ts';

const secretValue = 'hunter2-Vfz81';

// A keychain that fails and, worst case, echoes what it was given.
const leakyFailingKeychain: KeytarApi = {
  getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
  setPassword: (_service, _account, password) => Promise.reject(new Error(`org.freedesktop.DBus.Error.AccessDenied while storing ${password}`)),
  deletePassword: () => Promise.reject(new Error('no bus')),
  findCredentials: () => Promise.reject(new Error('no bus')),
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('KeychainSecretStore failing closed', () => {
  const store = new KeychainSecretStore({ service: 'kiops-desktop-test', keytar: leakyFailingKeychain });

  it('turns every keychain failure into KEYCHAIN_UNAVAILABLE with advice a user can follow', async () => {
    for (const attempt of [store.get('a'), store.delete('a'), store.list('')]) {
      const error = await rejection(attempt);
      expect(isAppError(error) && error.code).toBe('KEYCHAIN_UNAVAILABLE');
      expect(String(error)).toMatch(/No OS keychain \(Secret Service\).*never saved to disk in plain text/);
    }
    expect(await store.status()).toMatchObject({ available: false, reason: expect.stringContaining('Cannot autolaunch D-Bus') });
  });

  it('never carries the secret value in the error, its details or a cause', async () => {
    const error = await rejection(store.set('environment/prod/token', secretValue));
    expect(isAppError(error) && error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(JSON.stringify(isAppError(error) ? error.toBody() : error)).not.toContain(secretValue);
    expect(String(error)).toContain('[redacted]');
    expect(error instanceof Error && error.cause).toBeFalsy();
  });

  it('checks keys and values before the keychain sees them', async () => {
    await expect(store.set('has space', 'x')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(store.set('environment/prod/token', '')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

/** A keychain whose calls wait until the test lets them answer, counting how many run at once. */
function heldKeychain() {
  const held: Array<() => void> = [];
  let running = 0;
  let most = 0;
  const hold = <T>(value: T) =>
    new Promise<T>((resolve) => {
      running += 1;
      most = Math.max(most, running);
      held.push(() => {
        running -= 1;
        resolve(value);
      });
    });
  const keytar: KeytarApi = {
    getPassword: () => hold(null),
    setPassword: () => hold(undefined),
    deletePassword: () => hold(true),
    findCredentials: () => hold([]),
  };
  return { keytar, held, most: () => most };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('KeychainSecretStore calls', () => {
  it('go to the keychain one at a time, in the order they were made', async () => {
    const keychain = heldKeychain();
    const store = new KeychainSecretStore({ service: 'kiops-desktop-test', keytar: keychain.keytar });
    const order: string[] = [];
    const calls = [
      store.set('a/one', 'x').then(() => order.push('set')),
      store.status().then(() => order.push('status')),
      store.get('a/one').then(() => order.push('get')),
      store.list('a/').then(() => order.push('list')),
    ];
    for (let answered = 0; answered < calls.length; answered++) {
      await tick();
      expect(keychain.held).toHaveLength(answered + 1);
      keychain.held[answered]?.();
    }
    await Promise.all(calls);
    expect(keychain.most()).toBe(1);
    expect(order).toEqual(['set', 'status', 'get', 'list']);
  });

  it('fail with "did not answer" while the keychain hangs, without starting more calls into it; once it answers, the next call runs', async () => {
    const keychain = heldKeychain();
    const store = new KeychainSecretStore({ service: 'kiops-desktop-test', keytar: keychain.keytar, answerMs: 200 });
    const hung = rejection(store.get('a/one'));
    const probe = store.status();
    const error = await hung;
    expect(isAppError(error) && error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(String(error)).toContain('the keychain did not answer within');
    expect(await probe).toMatchObject({ available: false, reason: expect.stringContaining('did not answer') });
    // one thread is stuck in the keychain, not two
    expect(keychain.held).toHaveLength(1);

    const later = store.get('a/one');
    keychain.held[0]?.();
    await tick();
    // the probe's caller had given up: only the read asked after the hang ended goes to the keychain
    expect(keychain.held).toHaveLength(2);
    keychain.held[1]?.();
    expect(await later).toBeNull();
    expect(keychain.most()).toBe(1);
  });
});

describe('MemorySecretStore', () => {
  it('behaves like a keychain: set, get, list by prefix (keys only), delete', async () => {
    const store = new MemorySecretStore();
    await store.set('environment/b/token', 'b');
    await store.set('environment/a/token', 'a');
    await store.set('ssh/host1/key', 'k');
    expect(await store.get('environment/a/token')).toBe('a');
    expect(await store.list('environment/')).toEqual(['environment/a/token', 'environment/b/token']);
    expect(await store.delete('ssh/host1/key')).toBe(true);
    expect(await store.delete('ssh/host1/key')).toBe(false);
    expect(await store.get('ssh/host1/key')).toBeNull();
  });

  it('can imitate a machine without a keychain', async () => {
    const store = new MemorySecretStore({ available: false });
    await expect(store.set('a', 'b')).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    expect(await store.status()).toMatchObject({ available: false });
  });
});
