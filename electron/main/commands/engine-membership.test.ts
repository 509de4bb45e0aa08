import { describe, expect, it } from 'vitest';
import { normaliseImageRef, resolveObject, type EngineObjects } from './engine-membership.ts';

const objects: EngineObjects = {
  containers: [
    { id: `abc1${'0'.repeat(60)}`, names: ['shop-web-1'], member: true },
    { id: `abc2${'0'.repeat(60)}`, names: ['other-db-1'], member: false },
    { id: `def${'1'.repeat(61)}`, names: ['abc1'], member: false },
  ],
  images: [
    { id: `a${'2'.repeat(63)}`, refs: ['localhost/kiops/busybox:1'], member: true },
    { id: `b${'3'.repeat(63)}`, refs: ['docker.io/library/redis:latest'], member: false },
  ],
  volumes: [{ name: 'shop-data', member: true }],
  networks: [{ id: `c${'4'.repeat(63)}`, name: 'shop_default', member: true }],
};

describe('engine objects resolve as the engine resolves them', () => {
  it.each([
    ['shop-web-1', 'member'],
    ['/shop-web-1', 'member'],
    [`abc1${'0'.repeat(60)}`, 'member'],
    ['other-db-1', 'other'],
    ['abc2', 'other'],
    ['abc', 'ambiguous'],
    // A name wins over an id prefix, as in docker: "abc1" is another service's container's name.
    ['abc1', 'other'],
    ['nobody', 'none'],
  ])('container %s → %s', (word, found) => {
    expect(resolveObject(objects, 'container', word).found).toBe(found);
  });

  it.each([
    ['kiops/busybox:1', 'member'],
    ['localhost/kiops/busybox:1', 'member'],
    [`sha256:a${'2'.repeat(63)}`, 'member'],
    ['a222', 'member'],
    ['redis', 'other'],
    ['redis:latest', 'other'],
    ['docker.io/library/redis', 'other'],
    ['kiops/busybox:2', 'none'],
  ])('image %s → %s', (word, found) => {
    expect(resolveObject(objects, 'image', word).found).toBe(found);
  });

  it('normalises references the way docker and podman name local images', () => {
    expect(normaliseImageRef('redis')).toBe('redis:latest');
    expect(normaliseImageRef('registry:5000/app')).toBe('registry:5000/app:latest');
    expect(normaliseImageRef('localhost/app:2')).toBe('app:2');
  });
});
