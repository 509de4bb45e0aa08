import type { V1Node, V1Pod, V1Taint } from '@kubernetes/client-node';
import type { MessageText } from '../../../../shared/errors.ts';
import { affinityMatches, requirementText, taintText, tolerates } from './node-matching.ts';
import { formatResource, parseQuantity, podRequests } from './resource-quantity.ts';
import { parseSchedulingMessage } from './scheduling-message.ts';

export type PendingCause = 'insufficient-resources' | 'node-selector' | 'node-affinity' | 'taints' | 'pvc-unbound' | 'image-pull' | 'no-nodes' | 'unknown';

export interface PendingFinding {
  readonly cause: PendingCause;
  readonly title: string;
  readonly evidence: readonly string[];
  /** What to change, concretely. */
  readonly suggestion: string;
  /** The same, as keys of `mainErrors.operations.pending` for the window's language. */
  readonly text: PendingFindingText;
}

export interface PendingFindingText {
  readonly title: MessageText;
  /** Line for line with `evidence`; null where the line is the cluster's own words (shown as they are). */
  readonly evidence: (MessageText | null)[];
  /** The suggestion's sentences, in order. */
  readonly suggestion: MessageText[];
}

type Params = Record<string, string | number>;

/** A key of `mainErrors.operations.pending` with its parameters. */
function said(key: string, params?: Params): MessageText {
  return params === undefined ? { key: `operations.pending.${key}` } : { key: `operations.pending.${key}`, params };
}

/** One evidence line: main's English and its key (null for the cluster's own words). */
interface Line {
  readonly english: string;
  readonly text: MessageText | null;
}

/** A finding from its parts; the English suggestion joins its sentences as "a; b." */
function finding(cause: PendingCause, title: [string, MessageText], lines: readonly Line[], suggestions: readonly [string, MessageText][]): PendingFinding {
  return {
    cause,
    title: title[0],
    evidence: lines.map((line) => line.english),
    suggestion: `${suggestions.map(([english]) => english).join('; ')}.`,
    text: { title: title[1], evidence: lines.map((line) => line.text), suggestion: suggestions.map(([, text]) => text) },
  };
}

const raw = (english: string): Line => ({ english, text: null });

export interface ClaimFact {
  readonly name: string;
  /** The volume in the pod that mounts the claim. */
  readonly volume: string;
  readonly phase: 'Bound' | 'Pending' | 'Lost' | 'missing';
  readonly storageClass: string | null;
  /** The newest Warning event message about the claim, if any. */
  readonly problem: string | null;
}

/** Everything the analysis looks at, read from the cluster by PendingAnalyzer (or built by tests). */
export interface PendingPodFacts {
  readonly pod: V1Pod;
  /** null when the user may not list nodes: the analysis then leans on the scheduler's message only. */
  readonly nodes: readonly V1Node[] | null;
  /** Non-terminated pods bound to nodes, for what is already requested on each node. */
  readonly boundPods: readonly V1Pod[] | null;
  readonly claims: readonly ClaimFact[];
  /** The newest FailedScheduling message (or the PodScheduled=False condition's). */
  readonly schedulingMessage: string | null;
}

const imagePullReasons = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
const maxEvidence = 8;

interface NodeVerdict {
  readonly name: string;
  readonly cordoned: boolean;
  readonly taints: readonly V1Taint[];
  readonly selectorMismatch: readonly string[];
  readonly affinityMismatch: boolean;
  readonly short: readonly { resource: string; free: number; allocatable: number; used: number }[];
}

function judgeNodes(facts: PendingPodFacts, nodes: readonly V1Node[]): NodeVerdict[] {
  const usedByNode = new Map<string, Map<string, number>>();
  for (const other of facts.boundPods ?? []) {
    const nodeName = other.spec?.nodeName;
    if (!nodeName || other.metadata?.uid === facts.pod.metadata?.uid) continue;
    const used = usedByNode.get(nodeName) ?? new Map<string, number>();
    usedByNode.set(nodeName, used);
    used.set('pods', (used.get('pods') ?? 0) + 1);
    for (const [resource, amount] of podRequests(other)) used.set(resource, (used.get(resource) ?? 0) + amount);
  }
  const requests = podRequests(facts.pod);
  requests.set('pods', 1);
  return nodes.map((node) => {
    const name = node.metadata?.name ?? '';
    const labels = node.metadata?.labels ?? {};
    const allocatable = node.status?.allocatable ?? node.status?.capacity ?? {};
    const used = usedByNode.get(name) ?? new Map<string, number>();
    const short: { resource: string; free: number; allocatable: number; used: number }[] = [];
    for (const [resource, amount] of requests) {
      if (amount <= 0) continue;
      const total = parseQuantity(allocatable[resource] ?? (resource === 'pods' ? '110' : '0'));
      const inUse = used.get(resource) ?? 0;
      if (inUse + amount > total + 1e-9) short.push({ resource, free: Math.max(0, total - inUse), allocatable: total, used: inUse });
    }
    return {
      name,
      cordoned: node.spec?.unschedulable === true && !tolerates(facts.pod.spec?.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }),
      taints: (node.spec?.taints ?? []).filter((taint) => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerates(facts.pod.spec?.tolerations, taint)),
      selectorMismatch: Object.entries(facts.pod.spec?.nodeSelector ?? {}).filter(([key, value]) => labels[key] !== value).map(([key, value]) => `${key}=${value}`),
      affinityMismatch: !affinityMatches(facts.pod, node),
      short,
    };
  });
}

function capped(lines: Line[]): Line[] {
  const more = lines.length - maxEvidence;
  return more <= 0 ? lines : [...lines.slice(0, maxEvidence), { english: `… and ${more} more`, text: said('evidence.more', { count: more }) }];
}

function resourceFinding(facts: PendingPodFacts, verdicts: NodeVerdict[]): PendingFinding | null {
  const requests = podRequests(facts.pod);
  requests.set('pods', 1);
  const shortResources = [...new Set(verdicts.flatMap((verdict) => verdict.short.map((entry) => entry.resource)))];
  if (shortResources.length === 0) return null;
  // Nodes the pod could otherwise use say how far the request is from fitting.
  const otherwiseUsable = verdicts.filter((verdict) => !verdict.cordoned && verdict.taints.length === 0);
  const candidates = otherwiseUsable.length > 0 ? otherwiseUsable : verdicts;
  const evidence: Line[] = [];
  const suggestions: [string, MessageText][] = [];
  for (const resource of shortResources) {
    const request = requests.get(resource) ?? 0;
    const nodesShort = verdicts.filter((verdict) => verdict.short.some((entry) => entry.resource === resource));
    for (const verdict of nodesShort) {
      const entry = verdict.short.find((candidate) => candidate.resource === resource);
      if (!entry) continue;
      const amounts = { node: verdict.name, resource, allocatable: formatResource(resource, entry.allocatable), used: formatResource(resource, entry.used), free: formatResource(resource, entry.free) };
      evidence.push({ english: `${amounts.node}: ${amounts.allocatable} ${resource} allocatable, ${amounts.used} requested by other pods, ${amounts.free} free`, text: said('evidence.nodeShort', amounts) });
    }
    const bestFree = Math.max(...candidates.map((verdict) => verdict.short.find((entry) => entry.resource === resource)?.free ?? Number.POSITIVE_INFINITY));
    const asks = formatResource(resource, request);
    if (resource === 'pods') suggestions.push(['free pod slots by removing pods or add a node', said('suggest.freePodSlots')]);
    else if (Number.isFinite(bestFree) && bestFree > 0) {
      const fits = formatResource(resource, bestFree);
      suggestions.push([`lower the ${resource} request to ${fits} or less (it asks for ${asks}), or add a node with ≥ ${asks} free ${resource}`, said('suggest.lowerRequest', { resource, fits, request: asks })]);
    } else suggestions.push([`free ${resource} on a node or add a node with ≥ ${asks} free ${resource} (the pod asks for ${asks})`, said('suggest.freeResource', { resource, request: asks })]);
  }
  const asked = shortResources.filter((resource) => resource !== 'pods').map((resource) => `${formatResource(resource, requests.get(resource) ?? 0)} ${resource}`);
  const resources = shortResources.join(', ');
  const title = `Not enough ${shortResources.join(' and ')} on any node${asked.length > 0 ? ` for the pod's request of ${asked.join(', ')}` : ''}`;
  return finding('insufficient-resources', [title, asked.length > 0 ? said('title.notEnoughFor', { resources, requests: asked.join(', ') }) : said('title.notEnough', { resources })], capped(evidence), suggestions);
}

function selectorFinding(facts: PendingPodFacts, verdicts: NodeVerdict[], nodes: readonly V1Node[]): PendingFinding | null {
  const selector = Object.entries(facts.pod.spec?.nodeSelector ?? {});
  if (selector.length === 0 || verdicts.some((verdict) => verdict.selectorMismatch.length === 0 && !verdict.affinityMismatch) || verdicts.every((verdict) => verdict.selectorMismatch.length === 0)) return null;
  const missing = selector.filter(([key, value]) => !nodes.some((node) => node.metadata?.labels?.[key] === value)).map(([key, value]) => `${key}=${value}`);
  const labels = selector.map(([key, value]) => `${key}=${value}`);
  const evidence: Line[] = missing.length > 0 ? missing.map((label) => ({ english: `no node has label ${label}`, text: said('evidence.noNodeHasLabel', { label }) })) : [{ english: `no single node has all of ${labels.join(', ')}`, text: said('evidence.noNodeHasAll', { labels: labels.join(', ') }) }];
  const toAdd = missing.length > 0 ? missing : labels;
  return finding('node-selector', [`No node matches the pod's nodeSelector ${labels.join(', ')}`, said('title.noSelectorMatch', { labels: labels.join(', ') })], evidence, [
    [`add label ${toAdd.join(' and ')} to a node (kubectl label node <node> ${toAdd.join(' ')}) or change the nodeSelector`, said('suggest.addLabel', { labels: toAdd.join(', '), command: `kubectl label node <node> ${toAdd.join(' ')}` })],
  ]);
}

function affinityFinding(facts: PendingPodFacts, verdicts: NodeVerdict[]): PendingFinding | null {
  if (verdicts.every((verdict) => !verdict.affinityMismatch)) return null;
  const terms = facts.pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const described = terms.map((term) => [...(term.matchExpressions ?? []), ...(term.matchFields ?? [])].map(requirementText).join(' and '));
  return finding(
    'node-affinity',
    ['No node satisfies the required node affinity', said('title.noAffinityMatch')],
    described.map((requirement) => ({ english: `required: ${requirement}`, text: said('evidence.required', { requirement }) })),
    [['label a node so it matches one of the required terms, or relax requiredDuringSchedulingIgnoredDuringExecution (use preferredDuringScheduling… for soft placement)', said('suggest.relaxAffinity')]],
  );
}

function taintFinding(verdicts: NodeVerdict[]): PendingFinding | null {
  const blocked = verdicts.filter((verdict) => verdict.cordoned || verdict.taints.length > 0);
  if (blocked.length === 0) return null;
  const taints = new Map<string, V1Taint>();
  for (const verdict of blocked) for (const taint of verdict.taints) taints.set(taintText(taint), taint);
  const cordoned = blocked.filter((verdict) => verdict.cordoned).map((verdict) => verdict.name);
  const evidence = blocked.map((verdict): Line => {
    const english = `${verdict.name}: ${[...(verdict.cordoned ? ['cordoned (unschedulable)'] : []), ...verdict.taints.map((taint) => `taint ${taintText(taint)}`)].join(', ')}`;
    const node = verdict.name;
    const listed = verdict.taints.map(taintText).join(', ');
    return { english, text: verdict.taints.length === 0 ? said('evidence.cordoned', { node }) : said(verdict.cordoned ? 'evidence.cordonedTainted' : 'evidence.tainted', { node, taints: listed }) };
  });
  const suggestions = [...taints.values()].map((taint): [string, MessageText] => [
    `add a toleration for ${taintText(taint)} (key ${taint.key}, operator ${taint.value ? `Equal, value ${taint.value}` : 'Exists'}, effect ${taint.effect}) or remove the taint from a node`,
    taint.value ? said('suggest.tolerateEqual', { taint: taintText(taint), key: taint.key, value: taint.value, effect: taint.effect }) : said('suggest.tolerateExists', { taint: taintText(taint), key: taint.key, effect: taint.effect }),
  ]);
  if (cordoned.length > 0) suggestions.push([`uncordon ${cordoned.join(', ')} (kubectl uncordon <node>)`, said('suggest.uncordon', { nodes: cordoned.join(', ') })]);
  const title = `${blocked.length} node(s) have taints the pod does not tolerate${cordoned.length > 0 ? ' or are cordoned' : ''}`;
  return finding('taints', [title, said(cordoned.length > 0 ? 'title.taintedOrCordoned' : 'title.tainted', { count: blocked.length })], capped(evidence), suggestions);
}

function claimFindings(claims: readonly ClaimFact[]): PendingFinding[] {
  return claims
    .filter((claim) => claim.phase !== 'Bound')
    .map((claim) => {
      const { name, volume, phase, storageClass } = claim;
      if (phase === 'missing') {
        return finding(
          'pvc-unbound',
          [`PersistentVolumeClaim ${name} does not exist`, said('title.claimMissing', { claim: name })],
          [{ english: `volume ${volume} refers to claim ${name}, which was not found`, text: said('evidence.claimMissing', { volume, claim: name }) }],
          [[`create PVC ${name} in the pod's namespace (or fix the claim name of volume ${volume})`, said('suggest.createClaim', { claim: name, volume })]],
        );
      }
      const classed: Params = storageClass === null ? {} : { storageClass };
      return finding(
        'pvc-unbound',
        [`PersistentVolumeClaim ${name} is not bound (${phase})`, said('title.claimUnbound', { claim: name, phase })],
        [
          { english: `claim ${name}: phase ${phase}, StorageClass ${storageClass ?? '(none)'}`, text: said(storageClass === null ? 'evidence.claimPhaseNoClass' : 'evidence.claimPhase', { claim: name, phase, ...classed }) },
          ...(claim.problem ? [raw(claim.problem)] : []),
        ],
        [[`bind PVC ${name}: check its StorageClass ${storageClass ?? '(none set)'} — it needs a provisioner, or create a matching PersistentVolume (same storageClassName, size and access modes)`, said(storageClass === null ? 'suggest.bindClaimNoClass' : 'suggest.bindClaim', { claim: name, ...classed })]],
      );
    });
}

function imagePullFindings(pod: V1Pod): PendingFinding[] {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return statuses
    .filter((status) => imagePullReasons.has(status.state?.waiting?.reason ?? ''))
    .map((status) => {
      const reason = status.state?.waiting?.reason ?? '';
      return finding(
        'image-pull',
        [`Image ${status.image} of container ${status.name} cannot be pulled (${reason})`, said('title.imagePull', { image: status.image, container: status.name, reason })],
        status.state?.waiting?.message ? [raw(status.state.waiting.message)] : [],
        [[`check the image name and tag "${status.image}", that its registry is reachable from the nodes, and the pod's imagePullSecrets`, said('suggest.checkImage', { image: status.image })]],
      );
    });
}

/** Findings from the scheduler's own words, for causes the node check could not see (nodes unreadable). */
function messageFindings(message: string | null): PendingFinding[] {
  if (!message) return [];
  const parsed = parseSchedulingMessage(message);
  const found = new Map<PendingCause, string[]>();
  for (const reason of parsed.reasons) {
    const text = reason.nodes === null ? reason.text : `${reason.nodes} ${reason.text}`;
    const cause: PendingCause = /^Insufficient |^Too many pods/.test(reason.text)
      ? 'insufficient-resources'
      : /untolerated taint|were unschedulable/.test(reason.text)
        ? 'taints'
        : /node affinity\/selector/.test(reason.text)
          ? 'node-selector'
          : /persistentvolumeclaim|PersistentVolumeClaim/i.test(reason.text)
            ? 'pvc-unbound'
            : /no nodes available/.test(reason.text)
              ? 'no-nodes'
              : 'unknown';
    found.set(cause, [...(found.get(cause) ?? []), text]);
  }
  const advice: Record<PendingCause, [string, MessageText]> = {
    'insufficient-resources': ['lower the pod\'s resource requests or add node capacity', said('advice.insufficientResources')],
    'node-selector': ['add the labels the pod selects to a node, or change its nodeSelector / node affinity', said('advice.nodeSelector')],
    'node-affinity': ['label a node to match the required node affinity, or relax it', said('advice.nodeAffinity')],
    taints: ['add tolerations for the nodes\' taints, or remove the taints / uncordon the nodes', said('advice.taints')],
    'pvc-unbound': ['create or bind the pod\'s PersistentVolumeClaims (check their StorageClass)', said('advice.pvcUnbound')],
    'image-pull': ['check the image name, tag and pull secrets', said('advice.imagePull')],
    'no-nodes': ['add a node to the cluster', said('advice.noNodes')],
    unknown: ['check the events below', said('advice.unknown')],
  };
  return [...found].map(([cause, lines]) => finding(cause, [`The scheduler reports: ${lines.join(', ')}`, said('title.schedulerReports', { detail: lines.join(', ') })], [raw(message)], [advice[cause]]));
}

/** Root causes of a Pending pod, most likely first. Pure: everything it needs is in `facts`. */
export function analyzePendingPod(facts: PendingPodFacts): PendingFinding[] {
  const findings: PendingFinding[] = [...imagePullFindings(facts.pod), ...claimFindings(facts.claims)];
  const scheduled = Boolean(facts.pod.spec?.nodeName);
  if (!scheduled && facts.nodes !== null) {
    if (facts.nodes.length === 0) {
      findings.push(finding('no-nodes', ['The cluster has no nodes', said('title.noNodes')], facts.schedulingMessage ? [raw(facts.schedulingMessage)] : [], [['add a node to the cluster (or check that the nodes registered with the API server)', said('suggest.addNode')]]));
    } else {
      findings.push(...nodeFindings(facts, facts.nodes));
    }
  }
  if (!scheduled) {
    const known = new Set(findings.map((finding) => finding.cause));
    for (const finding of messageFindings(facts.schedulingMessage)) {
      const covered = known.has(finding.cause) || (finding.cause === 'node-selector' && known.has('node-affinity'));
      if (!covered && (facts.nodes === null || findings.length === 0)) findings.push(finding);
    }
  }
  if (findings.length === 0) {
    const waiting = [...(facts.pod.status?.containerStatuses ?? [])].map((status) => status.state?.waiting).find((state) => state?.reason);
    const reason = waiting?.reason;
    const title: [string, MessageText] = !scheduled
      ? ['No scheduling problem found yet', said('title.noProblemYet')]
      : reason
        ? [`Scheduled, but containers are not running yet (${reason})`, said('title.notRunningYetReason', { reason })]
        : ['Scheduled, but containers are not running yet', said('title.notRunningYet')];
    const evidence = [...(waiting?.message ? [raw(waiting.message)] : []), ...(facts.schedulingMessage ? [raw(facts.schedulingMessage)] : [])];
    findings.push(finding('unknown', title, evidence, [scheduled ? ['check the events below and the node the pod runs on', said('suggest.checkNode')] : ['the scheduler may not have tried yet; check the events below', said('suggest.notTriedYet')]]));
  }
  return findings;
}

/**
 * The pod's own placement rules (nodeSelector, required affinity) pick the nodes that matter:
 * when none match, that is the cause; otherwise only taints and capacity of those nodes count.
 */
function nodeFindings(facts: PendingPodFacts, nodes: readonly V1Node[]): PendingFinding[] {
  const verdicts = judgeNodes(facts, nodes);
  const placed = verdicts.filter((verdict) => verdict.selectorMismatch.length === 0 && !verdict.affinityMismatch);
  if (placed.length === 0) {
    return [selectorFinding(facts, verdicts, nodes), affinityFinding(facts, verdicts)].filter((finding): finding is PendingFinding => finding !== null);
  }
  const feasible = placed.some((verdict) => !verdict.cordoned && verdict.taints.length === 0 && verdict.short.length === 0);
  if (feasible) return [];
  const computed = [taintFinding(placed), resourceFinding(facts, placed)].filter((finding): finding is PendingFinding => finding !== null);
  // A taint that blocks only some nodes matters less than a cause that blocks every node.
  return computed.sort((left, right) => blockedShare(right, placed) - blockedShare(left, placed));
}

function blockedShare(finding: PendingFinding, verdicts: NodeVerdict[]): number {
  const count = (test: (verdict: NodeVerdict) => boolean): number => verdicts.filter(test).length;
  switch (finding.cause) {
    case 'node-selector':
      return count((verdict) => verdict.selectorMismatch.length > 0);
    case 'node-affinity':
      return count((verdict) => verdict.affinityMismatch);
    case 'taints':
      return count((verdict) => verdict.cordoned || verdict.taints.length > 0);
    case 'insufficient-resources':
      return count((verdict) => verdict.short.length > 0);
    default:
      return 0;
  }
}
