import { describe, expect, it } from 'vitest';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { analyzePendingPod } from './pending-causes.ts';
import { formatCpu, formatMemory, parseQuantity } from './resource-quantity.ts';
import { parseSchedulingMessage } from './scheduling-message.ts';
import { labelSelectorQuery, selectorMatches } from './kubernetes-access.ts';
import { backoffDelay } from './watch-backoff.ts';

const node = (name: string, extra: { cpu?: string; labels?: Record<string, string>; taints?: NonNullable<V1Node['spec']>['taints']; unschedulable?: boolean } = {}): V1Node => ({
  metadata: { name, labels: extra.labels ?? {} },
  spec: { taints: extra.taints, unschedulable: extra.unschedulable },
  status: { allocatable: { cpu: extra.cpu ?? '2', memory: '4Gi', pods: '110' } },
});
const pendingPod = (spec: Partial<NonNullable<V1Pod['spec']>> = {}, cpu = '500m'): V1Pod => ({
  metadata: { uid: 'p', name: 'web-1', namespace: 'shop' },
  spec: { containers: [{ name: 'app', resources: { requests: { cpu } } }], ...spec },
  status: { phase: 'Pending' },
});
const causes = (pod: V1Pod, nodes: V1Node[] | null, message: string | null = null) => analyzePendingPod({ pod, nodes, boundPods: [], claims: [], schedulingMessage: message });

describe('analyzePendingPod', () => {
  it('required node affinity nobody satisfies', () => {
    const pod = pendingPod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['eu-1'] }] }] } } } });
    const [finding] = causes(pod, [node('a', { labels: { zone: 'us-1' } })]);
    expect(finding).toMatchObject({ cause: 'node-affinity', evidence: ['required: zone In (eu-1)'] });
  });

  it('cordoned nodes count as taints with an uncordon suggestion', () => {
    const [finding] = causes(pendingPod(), [node('a', { unschedulable: true })]);
    expect(finding?.cause).toBe('taints');
    expect(finding?.suggestion).toContain('uncordon a');
  });

  it('no nodes at all', () => {
    expect(causes(pendingPod(), [])[0]?.cause).toBe('no-nodes');
  });

  it('falls back to the scheduler message when nodes are unreadable', () => {
    const found = causes(pendingPod(), null, '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
    expect(found.map((finding) => finding.cause)).toEqual(['insufficient-resources', 'taints']);
  });

  it('a feasible node and no message: unknown, not a guess', () => {
    expect(causes(pendingPod(), [node('a', { cpu: '4' })])[0]?.cause).toBe('unknown');
  });
});

describe('scheduler message, quantities, selectors, backoff', () => {
  it('splits reasons, keeping taint values with commas inside braces', () => {
    expect(parseSchedulingMessage('0/4 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 2 node(s) had untolerated taint {a: b, c}. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.')).toEqual({
      nodeCount: 4,
      reasons: [{ text: 'Insufficient cpu', nodes: 1 }, { text: 'Insufficient memory', nodes: 1 }, { text: 'node(s) had untolerated taint {a: b, c}', nodes: 2 }],
    });
    expect(parseSchedulingMessage('no nodes available to schedule pods').reasons).toEqual([{ text: 'no nodes available to schedule pods', nodes: null }]);
  });

  it('parses and formats quantities', () => {
    expect([parseQuantity('250m'), parseQuantity('1.5'), parseQuantity('1Gi'), parseQuantity('1e3'), parseQuantity('128M')]).toEqual([0.25, 1.5, 2 ** 30, 1000, 128e6]);
    expect(Number.isNaN(parseQuantity('lots'))).toBe(true);
    expect([formatCpu(0.25), formatCpu(1), formatCpu(1.5), formatMemory(1.5 * 2 ** 30), formatMemory(256 * 2 ** 20)]).toEqual(['250m', '1 core', '1.5 cores', '1.5Gi', '256Mi']);
  });

  it('turns Deployment selectors into queries and matches labels', () => {
    const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'canary', operator: 'DoesNotExist' }] };
    expect(labelSelectorQuery(selector)).toBe('app=web,tier in (a,b),!canary');
    expect(selectorMatches(selector, { app: 'web', tier: 'a' })).toBe(true);
    expect(selectorMatches(selector, { app: 'web', tier: 'a', canary: 'y' })).toBe(false);
    expect(selectorMatches({}, { app: 'web' })).toBe(false);
    expect(() => labelSelectorQuery({})).toThrow();
  });

  it('backs off exponentially up to the cap', () => {
    const policy = { initialMs: 100, maxMs: 1000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 10].map((attempt) => backoffDelay(attempt, policy))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
});
