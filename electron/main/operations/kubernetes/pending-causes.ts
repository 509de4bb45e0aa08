import type { V1Node, V1NodeSelectorRequirement, V1Pod, V1Taint, V1Toleration } from '@kubernetes/client-node';
import { formatResource, parseQuantity, podRequests } from './resource-quantity.ts';
import { parseSchedulingMessage } from './scheduling-message.ts';

export type PendingCause = 'insufficient-resources' | 'node-selector' | 'node-affinity' | 'taints' | 'pvc-unbound' | 'image-pull' | 'no-nodes' | 'unknown';

export interface PendingFinding {
  readonly cause: PendingCause;
  readonly title: string;
  readonly evidence: readonly string[];
  /** What to change, concretely. */
  readonly suggestion: string;
}

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

export function taintText(taint: Pick<V1Taint, 'key' | 'value' | 'effect'>): string {
  return `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
}

export function tolerates(tolerations: readonly V1Toleration[] | undefined, taint: V1Taint): boolean {
  return (tolerations ?? []).some((toleration) => {
    if (toleration.effect && toleration.effect !== taint.effect) return false;
    if (!toleration.key) return toleration.operator === 'Exists';
    if (toleration.key !== taint.key) return false;
    return toleration.operator === 'Exists' || (toleration.value ?? '') === (taint.value ?? '');
  });
}

function requirementMatches(labels: Record<string, string>, requirement: V1NodeSelectorRequirement): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  const value = labels[requirement.key] ?? '';
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return has && values.includes(value);
    case 'NotIn':
      return !has || !values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      const number = Number(value);
      const bound = Number(values[0]);
      return has && Number.isFinite(number) && (requirement.operator === 'Gt' ? number > bound : number < bound);
    }
    default:
      return false;
  }
}

function requirementText(requirement: V1NodeSelectorRequirement): string {
  const values = requirement.values ?? [];
  return values.length > 0 ? `${requirement.key} ${requirement.operator} (${values.join(', ')})` : `${requirement.key} ${requirement.operator}`;
}

function affinityMatches(pod: V1Pod, node: V1Node): boolean {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length === 0) return true;
  const labels = node.metadata?.labels ?? {};
  return terms.some((term) => {
    const expressions = term.matchExpressions ?? [];
    const fields = term.matchFields ?? [];
    if (expressions.length === 0 && fields.length === 0) return false;
    return expressions.every((expression) => requirementMatches(labels, expression)) && fields.every((field) => requirementMatches({ 'metadata.name': node.metadata?.name ?? '' }, field));
  });
}

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

function capped(lines: string[]): string[] {
  return lines.length <= maxEvidence ? lines : [...lines.slice(0, maxEvidence), `… and ${lines.length - maxEvidence} more`];
}

function resourceFinding(facts: PendingPodFacts, verdicts: NodeVerdict[]): PendingFinding | null {
  const requests = podRequests(facts.pod);
  requests.set('pods', 1);
  const shortResources = [...new Set(verdicts.flatMap((verdict) => verdict.short.map((entry) => entry.resource)))];
  if (shortResources.length === 0) return null;
  // Nodes the pod could otherwise use say how far the request is from fitting.
  const otherwiseUsable = verdicts.filter((verdict) => !verdict.cordoned && verdict.taints.length === 0);
  const candidates = otherwiseUsable.length > 0 ? otherwiseUsable : verdicts;
  const evidence: string[] = [];
  const suggestions: string[] = [];
  for (const resource of shortResources) {
    const request = requests.get(resource) ?? 0;
    const nodesShort = verdicts.filter((verdict) => verdict.short.some((entry) => entry.resource === resource));
    for (const verdict of nodesShort) {
      const entry = verdict.short.find((candidate) => candidate.resource === resource);
      if (entry) evidence.push(`${verdict.name}: ${formatResource(resource, entry.allocatable)} ${resource} allocatable, ${formatResource(resource, entry.used)} requested by other pods, ${formatResource(resource, entry.free)} free`);
    }
    const bestFree = Math.max(...candidates.map((verdict) => verdict.short.find((entry) => entry.resource === resource)?.free ?? Number.POSITIVE_INFINITY));
    if (resource === 'pods') suggestions.push('free pod slots by removing pods or add a node');
    else if (Number.isFinite(bestFree) && bestFree > 0) suggestions.push(`lower the ${resource} request to ${formatResource(resource, bestFree)} or less (it asks for ${formatResource(resource, request)}), or add a node with ≥ ${formatResource(resource, request)} free ${resource}`);
    else suggestions.push(`free ${resource} on a node or add a node with ≥ ${formatResource(resource, request)} free ${resource} (the pod asks for ${formatResource(resource, request)})`);
  }
  const asked = shortResources.filter((resource) => resource !== 'pods').map((resource) => `${formatResource(resource, requests.get(resource) ?? 0)} ${resource}`);
  return {
    cause: 'insufficient-resources',
    title: `Not enough ${shortResources.join(' and ')} on any node${asked.length > 0 ? ` for the pod's request of ${asked.join(', ')}` : ''}`,
    evidence: capped(evidence),
    suggestion: `${suggestions.join('; ')}.`,
  };
}

function selectorFinding(facts: PendingPodFacts, verdicts: NodeVerdict[], nodes: readonly V1Node[]): PendingFinding | null {
  const selector = Object.entries(facts.pod.spec?.nodeSelector ?? {});
  if (selector.length === 0 || verdicts.some((verdict) => verdict.selectorMismatch.length === 0 && !verdict.affinityMismatch) || verdicts.every((verdict) => verdict.selectorMismatch.length === 0)) return null;
  const missing = selector.filter(([key, value]) => !nodes.some((node) => node.metadata?.labels?.[key] === value)).map(([key, value]) => `${key}=${value}`);
  const labels = selector.map(([key, value]) => `${key}=${value}`);
  const evidence = missing.length > 0 ? missing.map((label) => `no node has label ${label}`) : [`no single node has all of ${labels.join(', ')}`];
  const toAdd = missing.length > 0 ? missing : labels;
  return {
    cause: 'node-selector',
    title: `No node matches the pod's nodeSelector ${labels.join(', ')}`,
    evidence,
    suggestion: `add label ${toAdd.join(' and ')} to a node (kubectl label node <node> ${toAdd.join(' ')}) or change the nodeSelector.`,
  };
}

function affinityFinding(facts: PendingPodFacts, verdicts: NodeVerdict[]): PendingFinding | null {
  if (verdicts.every((verdict) => !verdict.affinityMismatch)) return null;
  const terms = facts.pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const described = terms.map((term) => [...(term.matchExpressions ?? []), ...(term.matchFields ?? [])].map(requirementText).join(' and '));
  return {
    cause: 'node-affinity',
    title: 'No node satisfies the required node affinity',
    evidence: described.map((text) => `required: ${text}`),
    suggestion: 'label a node so it matches one of the required terms, or relax requiredDuringSchedulingIgnoredDuringExecution (use preferredDuringScheduling… for soft placement).',
  };
}

function taintFinding(verdicts: NodeVerdict[]): PendingFinding | null {
  const blocked = verdicts.filter((verdict) => verdict.cordoned || verdict.taints.length > 0);
  if (blocked.length === 0) return null;
  const taints = new Map<string, V1Taint>();
  for (const verdict of blocked) for (const taint of verdict.taints) taints.set(taintText(taint), taint);
  const cordoned = blocked.filter((verdict) => verdict.cordoned).map((verdict) => verdict.name);
  const evidence = blocked.map((verdict) => `${verdict.name}: ${[...(verdict.cordoned ? ['cordoned (unschedulable)'] : []), ...verdict.taints.map((taint) => `taint ${taintText(taint)}`)].join(', ')}`);
  const suggestions = [...taints.values()].map((taint) => `add a toleration for ${taintText(taint)} (key ${taint.key}, operator ${taint.value ? `Equal, value ${taint.value}` : 'Exists'}, effect ${taint.effect}) or remove the taint from a node`);
  if (cordoned.length > 0) suggestions.push(`uncordon ${cordoned.join(', ')} (kubectl uncordon <node>)`);
  return {
    cause: 'taints',
    title: `${blocked.length} node(s) have taints the pod does not tolerate${cordoned.length > 0 ? ' or are cordoned' : ''}`,
    evidence: capped(evidence),
    suggestion: `${suggestions.join('; ')}.`,
  };
}

function claimFindings(claims: readonly ClaimFact[]): PendingFinding[] {
  return claims
    .filter((claim) => claim.phase !== 'Bound')
    .map((claim) =>
      claim.phase === 'missing'
        ? {
            cause: 'pvc-unbound' as const,
            title: `PersistentVolumeClaim ${claim.name} does not exist`,
            evidence: [`volume ${claim.volume} refers to claim ${claim.name}, which was not found`],
            suggestion: `create PVC ${claim.name} in the pod's namespace (or fix the claim name of volume ${claim.volume}).`,
          }
        : {
            cause: 'pvc-unbound' as const,
            title: `PersistentVolumeClaim ${claim.name} is not bound (${claim.phase})`,
            evidence: [`claim ${claim.name}: phase ${claim.phase}, StorageClass ${claim.storageClass ?? '(none)'}`, ...(claim.problem ? [claim.problem] : [])],
            suggestion: `bind PVC ${claim.name}: check its StorageClass ${claim.storageClass ?? '(none set)'} — it needs a provisioner, or create a matching PersistentVolume (same storageClassName, size and access modes).`,
          },
    );
}

function imagePullFindings(pod: V1Pod): PendingFinding[] {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return statuses
    .filter((status) => imagePullReasons.has(status.state?.waiting?.reason ?? ''))
    .map((status) => ({
      cause: 'image-pull' as const,
      title: `Image ${status.image} of container ${status.name} cannot be pulled (${status.state?.waiting?.reason ?? ''})`,
      evidence: status.state?.waiting?.message ? [status.state.waiting.message] : [],
      suggestion: `check the image name and tag "${status.image}", that its registry is reachable from the nodes, and the pod's imagePullSecrets.`,
    }));
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
  const advice: Record<PendingCause, string> = {
    'insufficient-resources': 'lower the pod\'s resource requests or add node capacity.',
    'node-selector': 'add the labels the pod selects to a node, or change its nodeSelector / node affinity.',
    'node-affinity': 'label a node to match the required node affinity, or relax it.',
    taints: 'add tolerations for the nodes\' taints, or remove the taints / uncordon the nodes.',
    'pvc-unbound': 'create or bind the pod\'s PersistentVolumeClaims (check their StorageClass).',
    'image-pull': 'check the image name, tag and pull secrets.',
    'no-nodes': 'add a node to the cluster.',
    unknown: 'check the events below.',
  };
  return [...found].map(([cause, lines]) => ({ cause, title: `The scheduler reports: ${lines.join(', ')}`, evidence: [message], suggestion: advice[cause] }));
}

/** Root causes of a Pending pod, most likely first. Pure: everything it needs is in `facts`. */
export function analyzePendingPod(facts: PendingPodFacts): PendingFinding[] {
  const findings: PendingFinding[] = [...imagePullFindings(facts.pod), ...claimFindings(facts.claims)];
  const scheduled = Boolean(facts.pod.spec?.nodeName);
  if (!scheduled && facts.nodes !== null) {
    if (facts.nodes.length === 0) {
      findings.push({ cause: 'no-nodes', title: 'The cluster has no nodes', evidence: facts.schedulingMessage ? [facts.schedulingMessage] : [], suggestion: 'add a node to the cluster (or check that the nodes registered with the API server).' });
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
    findings.push({
      cause: 'unknown',
      title: scheduled ? `Scheduled, but containers are not running yet${waiting?.reason ? ` (${waiting.reason})` : ''}` : 'No scheduling problem found yet',
      evidence: [...(waiting?.message ? [waiting.message] : []), ...(facts.schedulingMessage ? [facts.schedulingMessage] : [])],
      suggestion: scheduled ? 'check the events below and the node the pod runs on.' : 'the scheduler may not have tried yet; check the events below.',
    });
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
