import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/contract/client.ts';
import { useCall } from './use-call.ts';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('useCall', () => {
  it('is loading while the call runs, then holds its result', async () => {
    const answer = deferred<number>();
    const call = useCall(() => answer.promise);
    const running = call.run();
    expect(call.loading.value).toBe(true);
    answer.resolve(42);
    expect(await running).toBe(42);
    expect(call.loading.value).toBe(false);
    expect(call.data.value).toBe(42);
    expect(call.failure.value).toBeUndefined();
  });

  it("keeps an ApiError's code and message for the user, and clears it on the next run", async () => {
    let fail = true;
    const call = useCall(async () => {
      if (fail) throw new ApiError('UNAVAILABLE', 'The audit trail is not wired yet.');
      return 'rows';
    });
    expect(await call.run()).toBeUndefined();
    expect(call.failure.value).toEqual({ code: 'UNAVAILABLE', message: 'The audit trail is not wired yet.' });
    fail = false;
    await call.run();
    expect(call.failure.value).toBeUndefined();
    expect(call.data.value).toBe('rows');
  });

  it('never shows the text of an unexpected error, which may hold internals', async () => {
    const originalError = console.error;
    console.error = () => {};
    try {
      const call = useCall(async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'rows') at /home/alice/app.js:12");
      });
      await call.run();
      expect(call.failure.value).toEqual({ code: 'UNEXPECTED', message: undefined });
    } finally {
      console.error = originalError;
    }
  });

  it('keeps only the latest of overlapping runs', async () => {
    const slow = deferred<string>();
    const fast = deferred<string>();
    const answers = [slow, fast];
    const call = useCall(() => answers.shift()!.promise);
    const first = call.run();
    const second = call.run();
    fast.resolve('new filter');
    await second;
    slow.resolve('old filter');
    await first;
    expect(call.data.value).toBe('new filter');
    expect(call.loading.value).toBe(false);
  });
});
