import { describe, expect, it } from 'vitest';
import { newConnectionDraft, toPreferences } from './use-environment-connection.ts';

describe('the SSH part of a connection draft', () => {
  const filled = (jumps?: { host: string; port: number; username: string }[]) => {
    const draft = newConnectionDraft('remote-engine');
    draft.ssh = { host: ' target.internal ', port: 2222, username: 'ops', identityId: 'id-1', ...(jumps ? { jumps } : {}) };
    return draft;
  };

  it('sends a ProxyJump chain from an ssh-config alias in order, and none when there is none', () => {
    for (const hops of [1, 2, 3]) {
      const jumps = Array.from({ length: hops }, (_, index) => ({ host: `hop${index}.example`, port: 22 + index, username: `u${index}` }));
      expect(toPreferences('remote-engine', filled(jumps)).ssh).toEqual({ host: 'target.internal', port: 2222, username: 'ops', identityId: 'id-1', jumps });
    }
    expect(toPreferences('remote-engine', filled()).ssh).toEqual({ host: 'target.internal', port: 2222, username: 'ops', identityId: 'id-1' });
    expect(toPreferences('remote-engine', filled([])).ssh).toEqual({ host: 'target.internal', port: 2222, username: 'ops', identityId: 'id-1' });
  });
});
