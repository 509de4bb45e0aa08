// metadata.generateName on the Kubernetes test API server: a name that clashes with a stored one
// is drawn again, as the real registry does since RetryGenerateName (Kubernetes 1.31), and only
// after eight clashes is the create refused, in the real server's words.
import { describe, expect, it } from 'vitest';
import { generatedName, generateNameAttempts, randomSuffix } from '../kube-server/api/rest.ts';
import { ApiError } from '../kube-server/api/status.ts';

const pods = { group: '', plural: 'pods' };

/** Suffixes in the order given, then fails the test: a generator that never repeats by chance. */
function suffixes(...values: string[]): () => string {
  return () => {
    const next = values.shift();
    if (next === undefined) throw new Error('asked for more suffixes than the test gave');
    return next;
  };
}

describe('generated names', () => {
  it('draws again while the name is taken and answers the first free one', () => {
    const taken = new Set(['web-aaaaa', 'web-bbbbb']);
    const asked: string[] = [];
    const name = generatedName('web-', (candidate) => (asked.push(candidate), taken.has(candidate)), pods, suffixes('aaaaa', 'bbbbb', 'ccccc', 'ddddd'));
    expect(name).toBe('web-ccccc');
    expect(asked).toEqual(['web-aaaaa', 'web-bbbbb', 'web-ccccc']);
  });

  it(`refuses after ${generateNameAttempts} clashes with a 409 AlreadyExists saying no unique name could be made`, () => {
    const drawn = Array.from({ length: generateNameAttempts }, (_, index) => `x${index}xxx`);
    let failure: unknown;
    try {
      generatedName('web-', () => true, { group: 'apps', plural: 'replicasets' }, suffixes(...drawn));
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ApiError);
    const status = (failure as ApiError).toStatus();
    expect(status).toMatchObject({ code: 409, reason: 'AlreadyExists', details: { name: 'web-x7xxx', group: 'apps', kind: 'replicasets', retryAfterSeconds: 1 } });
    expect(status.message).toBe('replicasets.apps "web-x7xxx" already exists, the server was not able to generate a unique name for the object');
  });

  it('draws suffixes of five characters from the registry alphabet (no vowels, no 0/1/3)', () => {
    for (let index = 0; index < 200; index++) expect(randomSuffix()).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});
