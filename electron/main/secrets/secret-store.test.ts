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
