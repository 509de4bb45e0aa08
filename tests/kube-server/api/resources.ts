// The resource types this server serves: one declaration per type, from which discovery,
// routing, storage keys and RBAC names are all derived.

export interface ResourceType {
  group: string;
  /** Versions served, preferred first. The first one is also the storage version. */
  versions: string[];
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  subresources: { name: string; kind: string; group?: string; version?: string; verbs: string[] }[];
  /** Served only while this returns true (metrics.k8s.io is served while metrics-server runs). */
  optional?: 'metrics';
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS = { name: 'status', kind: '', verbs: ['get', 'patch', 'update'] };

function withStatus(kind: string): ResourceType['subresources'] {
  return [{ ...STATUS, kind }];
}

export const RESOURCE_TYPES: ResourceType[] = [
  { group: '', versions: ['v1'], kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: withStatus('Namespace') },
  { group: '', versions: ['v1'], kind: 'Node', plural: 'nodes', singular: 'node', namespaced: false, shortNames: ['no'], verbs: CRUD, subresources: withStatus('Node') },
  {
    group: '',
    versions: ['v1'],
    kind: 'Pod',
    plural: 'pods',
    singular: 'pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    verbs: CRUD,
    subresources: [...withStatus('Pod'), { name: 'log', kind: 'Pod', verbs: ['get'] }],
  },
  { group: '', versions: ['v1'], kind: 'Service', plural: 'services', singular: 'service', namespaced: true, shortNames: ['svc'], categories: ['all'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], subresources: withStatus('Service') },
  { group: '', versions: ['v1'], kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', namespaced: true, shortNames: ['ep'], verbs: CRUD, subresources: [] },
  { group: '', versions: ['v1'], kind: 'Event', plural: 'events', singular: 'event', namespaced: true, shortNames: ['ev'], verbs: CRUD, subresources: [] },
  { group: '', versions: ['v1'], kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', namespaced: true, shortNames: ['cm'], verbs: CRUD, subresources: [] },
  { group: '', versions: ['v1'], kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true, verbs: CRUD, subresources: [] },
  { group: '', versions: ['v1'], kind: 'ServiceAccount', plural: 'serviceaccounts', singular: 'serviceaccount', namespaced: true, shortNames: ['sa'], verbs: CRUD, subresources: [] },
  { group: '', versions: ['v1'], kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', singular: 'persistentvolumeclaim', namespaced: true, shortNames: ['pvc'], verbs: CRUD, subresources: withStatus('PersistentVolumeClaim') },
  {
    group: 'apps',
    versions: ['v1'],
    kind: 'Deployment',
    plural: 'deployments',
    singular: 'deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    verbs: CRUD,
    subresources: [...withStatus('Deployment'), { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] }],
  },
  {
    group: 'apps',
    versions: ['v1'],
    kind: 'ReplicaSet',
    plural: 'replicasets',
    singular: 'replicaset',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    verbs: CRUD,
    subresources: [...withStatus('ReplicaSet'), { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] }],
  },
  { group: 'autoscaling', versions: ['v2', 'v1'], kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', singular: 'horizontalpodautoscaler', namespaced: true, shortNames: ['hpa'], categories: ['all'], verbs: CRUD, subresources: withStatus('HorizontalPodAutoscaler') },
  { group: 'networking.k8s.io', versions: ['v1'], kind: 'Ingress', plural: 'ingresses', singular: 'ingress', namespaced: true, shortNames: ['ing'], verbs: CRUD, subresources: withStatus('Ingress') },
  { group: 'networking.k8s.io', versions: ['v1'], kind: 'IngressClass', plural: 'ingressclasses', singular: 'ingressclass', namespaced: false, verbs: CRUD, subresources: [] },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], kind: 'ClusterRole', plural: 'clusterroles', singular: 'clusterrole', namespaced: false, verbs: CRUD, subresources: [] },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', singular: 'clusterrolebinding', namespaced: false, verbs: CRUD, subresources: [] },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], kind: 'Role', plural: 'roles', singular: 'role', namespaced: true, verbs: CRUD, subresources: [] },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], kind: 'RoleBinding', plural: 'rolebindings', singular: 'rolebinding', namespaced: true, verbs: CRUD, subresources: [] },
  { group: 'apiregistration.k8s.io', versions: ['v1'], kind: 'APIService', plural: 'apiservices', singular: 'apiservice', namespaced: false, categories: ['api-extensions'], verbs: CRUD, subresources: withStatus('APIService') },
  { group: 'authorization.k8s.io', versions: ['v1'], kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview', namespaced: false, verbs: ['create'], subresources: [] },
  { group: 'authorization.k8s.io', versions: ['v1'], kind: 'SelfSubjectRulesReview', plural: 'selfsubjectrulesreviews', singular: 'selfsubjectrulesreview', namespaced: false, verbs: ['create'], subresources: [] },
  { group: 'metrics.k8s.io', versions: ['v1beta1'], kind: 'PodMetrics', plural: 'pods', singular: '', namespaced: true, verbs: ['get', 'list'], subresources: [], optional: 'metrics' },
  { group: 'metrics.k8s.io', versions: ['v1beta1'], kind: 'NodeMetrics', plural: 'nodes', singular: '', namespaced: false, verbs: ['get', 'list'], subresources: [], optional: 'metrics' },
];

/** Storage key for a type: "pods", "deployments.apps". */
export function typeKey(type: Pick<ResourceType, 'group' | 'plural'>): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function findType(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((type) => type.group === group && type.plural === plural && type.versions.includes(version));
}

export function typeByKind(kind: string, group?: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((type) => type.kind === kind && (group === undefined || type.group === group) && !type.optional);
}

export function typeByKey(key: string): ResourceType {
  const type = RESOURCE_TYPES.find((candidate) => typeKey(candidate) === key && !candidate.optional);
  if (!type) throw new Error(`unknown resource type ${key}`);
  return type;
}

/** Groups in discovery order: core first, then by name as the apiserver lists built-ins. */
export function servedGroups(optionalEnabled: (flag: 'metrics') => boolean): { group: string; versions: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const type of RESOURCE_TYPES) {
    if (type.optional && !optionalEnabled(type.optional)) continue;
    const versions = groups.get(type.group) ?? [];
    for (const version of type.versions) if (!versions.includes(version)) versions.push(version);
    groups.set(type.group, versions);
  }
  return [...groups].map(([group, versions]) => ({ group, versions }));
}

export function typesIn(group: string, version: string, optionalEnabled: (flag: 'metrics') => boolean): ResourceType[] {
  return RESOURCE_TYPES.filter((type) => type.group === group && type.versions.includes(version) && (!type.optional || optionalEnabled(type.optional)));
}
