import { describe, expect, it } from 'vitest';
import { withDeadline } from './environment-discovery.ts';

/** Work that runs until its signal aborts, as a hung API request does. */
function hungWork(signal: AbortSignal): Promise<string> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
}

describe('a discovery past its deadline', () => {
  it.each([5, 20, 50])('is cancelled, not left running (deadline %i ms)', async (ms) => {
    const cancel = new AbortController();
    const outcome = withDeadline(hungWork(cancel.signal), ms, `"env-${ms}" did not answer in time.`, cancel);
    await expect(outcome).rejects.toMatchObject({ code: 'TIMEOUT', message: `"env-${ms}" did not answer in time.` });
    expect(cancel.signal.aborted).toBe(true);
  });

  it('that answers in time is neither rejected nor cancelled', async () => {
    const cancel = new AbortController();
    await expect(withDeadline(Promise.resolve('listed'), 60_000, 'late', cancel)).resolves.toBe('listed');
    expect(cancel.signal.aborted).toBe(false);
  });
});
