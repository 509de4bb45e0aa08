import { refuse } from './command-decision.ts';

/**
 * The resource types the Command Execution tab may name, with every spelling kubectl's
 * discovery accepts for them (plural, singular, short names, `.group` and `.version.group`
 * suffixes). Only namespaced built-in types are listed: the app injects the service's
 * namespace, and a cluster-scoped type or an unknown custom resource would not be bound by it.
 */
interface ResourceType {
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly group: string;
  readonly versions: readonly string[];
}

const namespaced: readonly ResourceType[] = [
  { plural: 'pods', singular: 'pod', shortNames: ['po'], group: '', versions: ['v1'] },
  { plural: 'services', singular: 'service', shortNames: ['svc'], group: '', versions: ['v1'] },
  { plural: 'endpoints', singular: 'endpoints', shortNames: ['ep'], group: '', versions: ['v1'] },
  { plural: 'configmaps', singular: 'configmap', shortNames: ['cm'], group: '', versions: ['v1'] },
  { plural: 'events', singular: 'event', shortNames: ['ev'], group: '', versions: ['v1'] },
  { plural: 'persistentvolumeclaims', singular: 'persistentvolumeclaim', shortNames: ['pvc'], group: '', versions: ['v1'] },
  { plural: 'serviceaccounts', singular: 'serviceaccount', shortNames: ['sa'], group: '', versions: ['v1'] },
  { plural: 'replicationcontrollers', singular: 'replicationcontroller', shortNames: ['rc'], group: '', versions: ['v1'] },
  { plural: 'limitranges', singular: 'limitrange', shortNames: ['limits'], group: '', versions: ['v1'] },
  { plural: 'resourcequotas', singular: 'resourcequota', shortNames: ['quota'], group: '', versions: ['v1'] },
  { plural: 'deployments', singular: 'deployment', shortNames: ['deploy'], group: 'apps', versions: ['v1'] },
  { plural: 'replicasets', singular: 'replicaset', shortNames: ['rs'], group: 'apps', versions: ['v1'] },
  { plural: 'statefulsets', singular: 'statefulset', shortNames: ['sts'], group: 'apps', versions: ['v1'] },
  { plural: 'daemonsets', singular: 'daemonset', shortNames: ['ds'], group: 'apps', versions: ['v1'] },
  { plural: 'controllerrevisions', singular: 'controllerrevision', shortNames: [], group: 'apps', versions: ['v1'] },
  { plural: 'jobs', singular: 'job', shortNames: [], group: 'batch', versions: ['v1'] },
  { plural: 'cronjobs', singular: 'cronjob', shortNames: ['cj'], group: 'batch', versions: ['v1'] },
  { plural: 'horizontalpodautoscalers', singular: 'horizontalpodautoscaler', shortNames: ['hpa'], group: 'autoscaling', versions: ['v1', 'v2'] },
  { plural: 'ingresses', singular: 'ingress', shortNames: ['ing'], group: 'networking.k8s.io', versions: ['v1'] },
  { plural: 'networkpolicies', singular: 'networkpolicy', shortNames: ['netpol'], group: 'networking.k8s.io', versions: ['v1'] },
  { plural: 'poddisruptionbudgets', singular: 'poddisruptionbudget', shortNames: ['pdb'], group: 'policy', versions: ['v1'] },
  { plural: 'endpointslices', singular: 'endpointslice', shortNames: [], group: 'discovery.k8s.io', versions: ['v1'] },
  { plural: 'roles', singular: 'role', shortNames: [], group: 'rbac.authorization.k8s.io', versions: ['v1'] },
  { plural: 'rolebindings', singular: 'rolebinding', shortNames: [], group: 'rbac.authorization.k8s.io', versions: ['v1'] },
  { plural: 'leases', singular: 'lease', shortNames: [], group: 'coordination.k8s.io', versions: ['v1'] },
];

/** Spellings of cluster-wide types, named so the refusal can say why rather than "unknown". */
const clusterScoped = new Set([
  'nodes', 'node', 'no', 'namespaces', 'namespace', 'ns', 'persistentvolumes', 'persistentvolume', 'pv',
  'clusterroles', 'clusterrole', 'clusterrolebindings', 'clusterrolebinding', 'storageclasses', 'storageclass', 'sc',
  'customresourcedefinitions', 'customresourcedefinition', 'crd', 'crds', 'priorityclasses', 'priorityclass', 'pc',
  'ingressclasses', 'ingressclass', 'apiservices', 'apiservice', 'certificatesigningrequests', 'certificatesigningrequest', 'csr',
  'mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'runtimeclasses', 'csidrivers', 'csinodes',
  'volumeattachments', 'componentstatuses', 'componentstatus', 'cs',
]);

const secretSpellings = new Set(['secrets', 'secret']);

const spellings = new Map<string, ResourceType>();
for (const type of namespaced) {
  for (const name of [type.plural, type.singular, ...type.shortNames]) {
    spellings.set(name, type);
    if (type.group !== '') {
      spellings.set(`${name}.${type.group}`, type);
      for (const version of type.versions) spellings.set(`${name}.${version}.${type.group}`, type);
    } else {
      for (const version of type.versions) spellings.set(`${name}.${version}.`, type);
    }
  }
}

const typeHint = `Use one of: ${namespaced.map((t) => t.plural).join(', ')}.`;

/** Canonical plural name of a type spelling, or a refusal naming why it is out of reach. */
export function canonicalResourceType(spelling: string, allowed?: ReadonlySet<string>, allowAll = false): string {
  const lower = spelling.toLowerCase();
  if (allowAll && lower === 'all') return 'all';
  const base = lower.split('.')[0] ?? lower;
  if (secretSpellings.has(base)) {
    refuse('secrets', 'Secrets are not shown in Command Execution.', 'Use the Config/Secret tab, which has its own permission and never shows values by accident.');
  }
  if (clusterScoped.has(base)) {
    refuse('cluster-scoped', `"${spelling}" is a cluster-wide resource; commands here are limited to the service's namespace.`, 'Ask a cluster administrator, or look at namespaced resources such as pods and deployments.');
  }
  const type = spellings.get(lower);
  if (type === undefined) refuse('resource-not-allowed', `The resource type "${spelling}" is not available here.`, typeHint);
  if (allowed && !allowed.has(type.plural)) {
    refuse('resource-not-allowed', `This command does not work on "${spelling}" here.`, `Use one of: ${[...allowed].join(', ')}.`);
  }
  return type.plural;
}

const objectName = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export function checkObjectName(name: string): string {
  if (!objectName.test(name)) {
    refuse('invalid-argument', `"${name}" is not a valid Kubernetes object name.`, 'Names are lower-case letters, digits, "-" and ".", e.g. web-7d9f-abc12.');
  }
  return name;
}

export interface ResourceRefs {
  /** Canonical type names, e.g. ['pods'] or ['pods', 'services']. */
  readonly types: string[];
  /** Canonical `type/name` words when names were given; empty for "all of these types". */
  readonly objects: string[];
}

/**
 * Reads kubectl's two resource argument forms: `TYPE[,TYPE…] [NAME…]` and `TYPE/NAME…`,
 * and renders them canonically (`pods`, `pods,services`, or `pods/web deployments/api`).
 */
export function readResourceRefs(words: readonly string[], allowed?: ReadonlySet<string>, allowAll = false): ResourceRefs {
  const [first, ...rest] = words;
  if (first === undefined) return { types: [], objects: [] };
  if (first.includes('/')) {
    const objects = words.map((word) => {
      const slash = word.indexOf('/');
      if (slash < 0) refuse('invalid-argument', `Mixed "TYPE/NAME" and "NAME" arguments ("${word}").`, 'Write every object as TYPE/NAME, e.g. pod/web-1 deploy/api.');
      const type = canonicalResourceType(word.slice(0, slash), allowed);
      return `${type}/${checkObjectName(word.slice(slash + 1))}`;
    });
    return { types: [...new Set(objects.map((o) => o.split('/')[0] as string))], objects };
  }
  const types = first.split(',').map((t) => canonicalResourceType(t, allowed, allowAll));
  const names = rest.map(checkObjectName);
  const objects = names.flatMap((name) => types.map((type) => `${type}/${name}`));
  return { types, objects };
}

export function renderResourceRefs(refs: ResourceRefs): string[] {
  return refs.objects.length > 0 ? refs.objects : refs.types.length > 0 ? [refs.types.join(',')] : [];
}
