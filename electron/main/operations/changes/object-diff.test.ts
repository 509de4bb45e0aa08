import { describe, expect, it } from 'vitest';
import { diffObjects, diffSummary } from './object-diff.ts';

const deployment = (image: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', resourceVersion: String(Math.random()), generation: 3, uid: 'u-1', creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{ manager: 'kubectl' }], ...extra },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image }, { name: 'sidecar', image: 'envoy:1' }] } } },
  status: { observedGeneration: 3, readyReplicas: 2 },
});

describe('diffObjects', () => {
  it.each([
    ['nginx:1.27', 'nginx:1.28'],
    ['registry.example/team/web:1', 'registry.example/team/web@sha256:' + 'c'.repeat(64)],
    ['a', 'b'],
  ])('names the container by its name, not its index, and drops server bookkeeping (%s → %s)', (from, to) => {
    const lines = diffObjects(deployment(from), { ...deployment(to, { generation: 4, resourceVersion: '999' }), status: { readyReplicas: 0 } });
    expect(lines).toEqual([{ path: 'spec.template.spec.containers[web].image', change: 'changed', before: from, after: to }]);
  });

  it('lists additions and removals with their values', () => {
    const lines = diffObjects({ data: { A: '1', B: '2' } }, { data: { A: '1', C: '3' } });
    expect(lines).toEqual([
      { path: 'data.B', change: 'removed', before: '2', after: null },
      { path: 'data.C', change: 'added', before: null, after: '3' },
    ]);
  });

  it.each([
    ['s3cr3t-value', 'other-value'],
    ['x', 'y'],
  ])('never shows Secret values, and lists every key as added/changed/unchanged/removed', (from, to) => {
    const encode = (value: string) => Buffer.from(value).toString('base64');
    const lines = diffObjects({ kind: 'Secret', data: { KEEP: encode('same'), EDIT: encode(from), GONE: encode(from) } }, { kind: 'Secret', data: { KEEP: encode('same'), EDIT: encode(to), NEW: encode(to) } }, { secret: true });
    expect(lines).toEqual([
      { path: 'data.EDIT', change: 'changed', before: null, after: null },
      { path: 'data.GONE', change: 'removed', before: null, after: null },
      { path: 'data.KEEP', change: 'unchanged', before: null, after: null },
      { path: 'data.NEW', change: 'added', before: null, after: null },
    ]);
    const text = JSON.stringify(lines) + diffSummary(lines);
    for (const value of [from, to, 'same']) {
      expect(text).not.toContain(encode(value));
      expect(text).not.toContain(value);
    }
  });

  it('keeps long values and the audit summary bounded', () => {
    const lines = diffObjects({ data: { BIG: 'a' } }, { data: { BIG: 'b'.repeat(5_000) } });
    expect(lines[0]?.after?.length).toBeLessThan(260);
    const many = diffObjects({}, { data: Object.fromEntries(Array.from({ length: 500 }, (_, index) => [`KEY_${index}`, 'v'.repeat(50)])) });
    expect(diffSummary(many).length).toBeLessThanOrEqual(1_000);
    expect(diffSummary([])).toBe('no change');
  });
});
