import { describe, expect, it } from 'vitest';
import { podsSignature } from './pods-signature.ts';

const pod = (phase: string, ready: string) => ({ phase, ready });

describe('podsSignature: when the Scaling panel asks main again', () => {
  it('changes with the pod count, the running count and the ready count', () => {
    const base = [pod('Running', '1/1'), pod('Running', '2/2'), pod('Pending', '0/1')];
    expect(podsSignature(base)).toBe('3:2:2');
    expect(podsSignature([...base, pod('Pending', '0/1')])).toBe('4:2:2');
    expect(podsSignature([pod('Running', '1/1'), pod('Running', '1/2'), pod('Pending', '0/1')])).toBe('3:2:1');
    expect(podsSignature([pod('Running', '1/1'), pod('Running', '2/2'), pod('Running', '1/1')])).toBe('3:3:3');
  });

  it('counts a pod without containers (0/0) as ready and reads two-digit counts whole', () => {
    expect(podsSignature([pod('Succeeded', '0/0'), pod('Running', '10/10'), pod('Running', '1/10')])).toBe('3:2:2');
  });

  it('stays the same when only restarts or names change', () => {
    expect(podsSignature([pod('Running', '1/1')])).toBe(podsSignature([{ ...pod('Running', '1/1'), restarts: 4 } as never]));
  });
});
