import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { analyzePendingPod, type ClaimFact, type PendingPodFacts } from '../../electron/main/operations/kubernetes/pending-causes.ts';
import { pendingAnalysisSchema } from '../../shared/contract/pods.ts';
import { findingShown } from '../../renderer/src/components/pods/pending-finding-text.ts';
import { mainLines } from '../../renderer/src/i18n/main-lines.ts';
import { hangul, translator } from '../../renderer/src/i18n/main-error-test-support.ts';

// The Pending expand row's findings, from main's real analysis through the contract, as a Korean
// window shows them (Korean, every name and number kept) and an English one (main's own English).

type NodeExtra = { cpu?: string; labels?: Record<string, string>; taints?: NonNullable<V1Node['spec']>['taints']; unschedulable?: boolean };
const node = (name: string, extra: NodeExtra = {}): V1Node => ({
  metadata: { name, labels: extra.labels ?? {} },
  spec: { taints: extra.taints, unschedulable: extra.unschedulable },
  status: { allocatable: { cpu: extra.cpu ?? '2', memory: '4Gi', pods: '110' } },
});
const pod = (name: string, spec: Partial<NonNullable<V1Pod['spec']>> = {}, status: V1Pod['status'] = { phase: 'Pending' }, cpu = '500m'): V1Pod => ({
  metadata: { uid: `uid-${name}`, name, namespace: 'shop' },
  spec: { containers: [{ name: `${name}-app`, resources: { requests: { cpu } } }], ...spec },
  status,
});
const bound = (name: string, nodeName: string, cpu: string): V1Pod => ({ ...pod(name, { nodeName }, { phase: 'Running' }, cpu) });

/** Pending situations of every kind the analysis names, around one generated name. */
function situations(name: string): [string, PendingPodFacts][] {
  const facts = (over: Partial<PendingPodFacts>): PendingPodFacts => ({ pod: pod(name), nodes: [node(`${name}-n1`)], boundPods: [], claims: [], schedulingMessage: null, ...over });
  const claim = (extra: Partial<ClaimFact>): ClaimFact => ({ name: `${name}-data`, volume: `${name}-vol`, phase: 'Pending', storageClass: null, problem: null, ...extra });
  const many = Array.from({ length: 11 }, (_, index) => node(`${name}-${index}`, { cpu: '1' }));
  return [
    ['cpu short on some nodes', facts({ pod: pod(name, {}, undefined, '1500m'), nodes: [node(`${name}-a`), node(`${name}-b`)], boundPods: [bound(`${name}-x`, `${name}-a`, '1')] })],
    ['cpu short everywhere, more than 8 nodes', facts({ pod: pod(name, {}, undefined, '3'), nodes: many })],
    ['no pod slots', facts({ nodes: [{ ...node(`${name}-full`), status: { allocatable: { cpu: '8', pods: '1' } } }], boundPods: [bound(`${name}-y`, `${name}-full`, '0')] })],
    ['a selector label no node has', facts({ pod: pod(name, { nodeSelector: { disk: `ssd-${name}` } }) })],
    ['selector labels on different nodes', facts({ pod: pod(name, { nodeSelector: { a: '1', b: '2' } }), nodes: [node(`${name}-a`, { labels: { a: '1' } }), node(`${name}-b`, { labels: { b: '2' } })] })],
    ['required affinity', facts({ pod: pod(name, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: [`eu-${name}`] }] }] } } } }) })],
    ['cordoned and tainted', facts({ nodes: [node(`${name}-c`, { unschedulable: true }), node(`${name}-t`, { taints: [{ key: 'dedicated', value: name, effect: 'NoSchedule' }, { key: 'gpu', effect: 'NoExecute' }] }), node(`${name}-ct`, { unschedulable: true, taints: [{ key: 'gpu', effect: 'NoSchedule' }] })] })],
    ['a missing claim', facts({ claims: [claim({ phase: 'missing' })] })],
    ['an unbound claim with a class and a problem', facts({ claims: [claim({ storageClass: `fast-${name}`, problem: `no persistent volumes available for ${name}` })] })],
    ['an unbound claim without a class', facts({ claims: [claim({ phase: 'Lost' })] })],
    ['an image that cannot be pulled', facts({ pod: pod(name, {}, { phase: 'Pending', containerStatuses: [{ name: `${name}-app`, image: `registry/${name}:1`, imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: `pull ${name} denied` } } }] }) })],
    ['the scheduler alone, nodes unreadable', facts({ nodes: null, boundPods: null, schedulingMessage: `0/5 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {a: b}, 1 node(s) didn't match Pod's node affinity/selector, 1 pod has unbound immediate PersistentVolumeClaims, 1 ${name} odd reason. preemption: 0/5 nodes are available.` })],
    ['no nodes', facts({ nodes: [], schedulingMessage: `no nodes available to schedule pods (${name})` })],
    ['nothing wrong found yet', facts({ nodes: [node(`${name}-big`, { cpu: '8' })] })],
    ['scheduled, waiting', facts({ pod: pod(name, { nodeName: `${name}-n1` }, { phase: 'Pending', containerStatuses: [{ name: `${name}-app`, image: 'img', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating', message: `mounting ${name}` } } }] }) })],
    ['scheduled, no reason yet', facts({ pod: pod(name, { nodeName: `${name}-n1` }) })],
  ];
}

/** The parameter values a keyed text carries: what the Korean must keep. */
const values = (text: { params?: Record<string, string | number> | undefined } | null | undefined): string[] => Object.values(text?.params ?? {}).map(String);

const names = ['worker-1', '노드-가', 'node ä', 'n'];

describe('Pending findings in the window language', () => {
  const korean = translator('ko');
  const english = translator('en');
  for (const name of names) {
    for (const [situation, facts] of situations(name)) {
      it(`${situation} (${name}): Korean with every name and number, English as main wrote it`, () => {
        const findings = analyzePendingPod(facts);
        expect(findings.length).toBeGreaterThan(0);
        const view = pendingAnalysisSchema.parse(JSON.parse(JSON.stringify({ pod: name, namespace: 'shop', phase: 'Pending', findings, events: [], limitations: [] })));
        for (const finding of view.findings) {
          const text = finding.text;
          expect(text, finding.title).toBeDefined();
          if (text === undefined) continue;
          const shown = findingShown(finding, korean);
          expect(shown.title, finding.title).toMatch(hangul);
          for (const value of values(text.title)) expect(shown.title).toContain(value);
          expect(shown.suggestion, finding.suggestion).toMatch(hangul);
          for (const value of text.suggestion.flatMap(values)) expect(shown.suggestion).toContain(value);
          expect(text.evidence).toHaveLength(finding.evidence.length);
          shown.evidence.forEach((line, index) => {
            const keyed = text.evidence[index];
            if (keyed === null || keyed === undefined) expect(line).toBe(finding.evidence[index]);
            else {
              expect(line, finding.evidence[index]).toMatch(hangul);
              for (const value of values(keyed)) expect(line).toContain(value);
            }
          });
          expect(findingShown(finding, english)).toEqual({ title: finding.title, evidence: finding.evidence, suggestion: finding.suggestion });
        }
      });
    }
  }

  it('a finding whose keys the window does not know stays in main\'s English', () => {
    const [finding] = pendingAnalysisSchema.parse({ pod: 'p', namespace: 'shop', phase: 'Pending', findings: analyzePendingPod(situations('web')[7]?.[1] ?? situations('web')[0]![1]), events: [], limitations: [] }).findings;
    if (!finding?.text) throw new Error('the analysis found nothing');
    const unknown = { ...finding, text: { ...finding.text, title: { key: 'operations.pending.title.noSuchTitle' }, suggestion: [{ key: 'operations.pending.suggest.noSuchSentence' }] } };
    expect(findingShown(unknown, korean)).toMatchObject({ title: finding.title, suggestion: finding.suggestion });
  });

  for (const namespace of ['shop', '가게 a']) {
    it(`limitations read as Korean, namespace "${namespace}" kept`, () => {
      const limitationTexts = [{ key: 'operations.pending.limitation.events' }, { key: 'operations.pending.limitation.nodes' }, { key: 'operations.pending.limitation.podsInNamespace', params: { namespace } }, { key: 'operations.pending.limitation.podsOutsideNamespace', params: { namespace } }];
      const limitations = ['Not allowed to list events; the analysis works without them.', 'Not allowed to list nodes; the analysis works without them.', `Not allowed to list pods in ${namespace}; the analysis works without them.`, `Not allowed to list pods outside ${namespace}: free capacity counts only pods of ${namespace}, so nodes may be fuller than shown.`];
      const shown = mainLines(limitations, limitationTexts, korean);
      for (const line of shown) expect(line).toMatch(hangul);
      expect(shown[2]).toContain(namespace);
      expect(shown[3]).toContain(namespace);
      expect(mainLines(limitations, limitationTexts, english)).toEqual(limitations);
      limitations.forEach((line, index) => expect(english.render(`mainErrors.${limitationTexts[index]?.key ?? ''}`, { namespace })).toBe(line));
    });
  }
});
