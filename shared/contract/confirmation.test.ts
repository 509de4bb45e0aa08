import { describe, expect, it } from 'vitest';
import { confirmableCalls } from './confirmation.ts';
import { contract } from './index.ts';

describe('confirmableCalls', () => {
  it('lists exactly the calls whose input takes serviceId and confirmation, commands.run aside', () => {
    const derived = Object.entries(contract)
      .filter(([name, spec]) => {
        if (name === 'commands.run' || spec.kind !== 'call') return false;
        const shape = (spec.input as unknown as { shape?: Record<string, unknown> }).shape;
        return shape !== undefined && 'confirmation' in shape && 'serviceId' in shape;
      })
      .map(([name]) => name);
    expect([...confirmableCalls].sort()).toEqual(derived.sort());
  });
});
