import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppInfo } from '../../../shared/contract/app.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { CallContext } from '../ipc/router.ts';
import type { SecretStoreChoice } from '../secrets/secret-store-choice.ts';
import { appInfoHandlers } from './app-info-service.ts';
import { OpeningRead, openingReadMs } from './opening-read.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** A read that answers when told, counting how often it was started. */
function countedRead() {
  let reads = 0;
  const answers: ((value: number) => void)[] = [];
  const read = () => {
    reads += 1;
    return new Promise<number>((resolve) => answers.push(resolve));
  };
  return { read, reads: () => reads, answer: (value: number) => answers.shift()?.(value) };
}

describe('a read started as a window opens', () => {
  it('is taken once by the first ask, while it runs and after it ended', async () => {
    const opening = new OpeningRead<number>();
    const source = countedRead();
    opening.start(source.read);
    opening.start(source.read); // a second window opening meanwhile shares it
    expect(source.reads()).toBe(1);
    const taken = opening.take();
    source.answer(7);
    expect(await taken).toBe(7);
    expect(opening.take()).toBeUndefined();
  });

  it('is no longer taken once it ended more than openingReadMs ago, and a new opening reads again', async () => {
    vi.useFakeTimers();
    const opening = new OpeningRead<number>();
    const source = countedRead();
    opening.start(source.read);
    source.answer(1);
    await vi.advanceTimersByTimeAsync(openingReadMs - 1);
    expect(opening.waiting).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(opening.waiting).toBe(false);
    expect(opening.take()).toBeUndefined();
    opening.start(source.read);
    expect(source.reads()).toBe(2);
  });

  it('is dropped when what it depends on changed since it started, or when dropped', async () => {
    const opening = new OpeningRead<number>();
    const source = countedRead();
    opening.start(source.read, 'namespaces: default');
    expect(opening.take('namespaces: default, shop')).toBeUndefined();
    opening.start(source.read, 'a');
    opening.drop();
    expect(opening.take('a')).toBeUndefined();
    // the basis is worked out only when a read is waiting
    const basis = vi.fn(() => 'a');
    expect(opening.take(basis)).toBeUndefined();
    expect(basis).not.toHaveBeenCalled();
  });

  it('hands a failed read to its taker, who sees the failure', async () => {
    const opening = new OpeningRead<number>();
    opening.start(() => Promise.reject(new Error('cluster unreachable')));
    await expect(opening.take()).rejects.toThrow('cluster unreachable');
  });
});

describe("a window's first app.info", () => {
  const context = { sender: {} } as unknown as CallContext;
  const identity = { version: '1.0.0', shell: 'browser' as const, platform: 'linux' };
  const trail = { status: () => ({ writable: true }), connectKeychain: async () => {} } as unknown as AuditTrail;

  /** A secret store whose keychain answers are counted, and whose availability the test flips. */
  function store() {
    let available = true;
    let asked = 0;
    const choice = {
      overview: async () => {
        asked += 1;
        return { status: { available }, state: { kind: 'keychain', vault: 'absent' } };
      },
      reconsider: async () => {},
    } as unknown as SecretStoreChoice;
    return { choice, asked: () => asked, setAvailable: (value: boolean) => (available = value) };
  }

  it('takes the state read as the window opened, and the next asks the keychain again', async () => {
    const secrets = store();
    const opening = new OpeningRead<AppInfo>();
    const calls = appInfoHandlers(identity, secrets.choice, trail, opening);
    opening.start(() => calls['app.info']({}, context) as Promise<AppInfo>);
    expect(secrets.asked()).toBe(1);
    expect((await calls['app.info']({}, context)).keychain.available).toBe(true);
    expect(secrets.asked()).toBe(1);
    secrets.setAvailable(false);
    expect((await calls['app.info']({}, context)).keychain.available).toBe(false);
    expect(secrets.asked()).toBe(2);
  });

  it('never answers from it after the keychain was reconnected', async () => {
    const secrets = store();
    const opening = new OpeningRead<AppInfo>();
    const calls = appInfoHandlers(identity, secrets.choice, trail, opening);
    opening.start(() => calls['app.info']({}, context) as Promise<AppInfo>);
    secrets.setAvailable(false);
    expect((await calls['app.reconnectKeychain']({}, context)).keychain.available).toBe(false);
    expect((await calls['app.info']({}, context)).keychain.available).toBe(false);
  });
});
