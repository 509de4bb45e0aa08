import { describe, expect, it } from 'vitest';
import { podmanTailIsExact } from './engine-log-read.ts';

describe('podmanTailIsExact (podman#19545: the tail path drops and moves partial lines before 4.7)', () => {
  it('trusts Podman 4.7 and later', () => {
    expect(['4.7.0', '4.9.3', '5.0.0', '5.2.1-dev', 'v4.7.2', '10.0.0'].map(podmanTailIsExact)).toEqual([true, true, true, true, true, true]);
  });

  it('reads Podman before 4.7, and an engine whose version is unknown, from the start', () => {
    expect(['4.3.1', '4.6.2', '3.4.4', '2.0.0', '4', '', 'unknown', undefined].map(podmanTailIsExact)).toEqual([false, false, false, false, false, false, false, false]);
  });
});
