// A deliberately small authorisation model: each test user has rules of verbs × resources ×
// namespaces. Every request is checked against it, and the access reviews answer from it, so
// what `kubectl auth can-i` says is what the server then enforces.

export interface PolicyRule {
  verbs: string[];
  /** API groups ('' is core); omitted means all groups. */
  apiGroups?: string[];
  /** Plural resource names, "pods/log" for subresources, "*" for all. */
  resources: string[];
  /** Namespaces the rule applies in; omitted means every namespace and cluster-scoped resources. */
  namespaces?: string[];
  resourceNames?: string[];
}

export interface TestUser {
  name: string;
  groups: string[];
  /** How the user's kubeconfig authenticates: a bearer token, a client certificate, or an OIDC id-token whose claim names the user. */
  auth: 'token' | 'certificate' | 'oidc';
  token?: string;
  rules: PolicyRule[];
}

export interface RequestAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

const ALL = ['*'];

/** The users every server has unless options replace them. */
export function defaultUsers(): TestUser[] {
  return [
    { name: 'admin', groups: ['system:masters', 'system:authenticated'], auth: 'certificate', rules: [{ verbs: ALL, resources: ALL }] },
    {
      name: 'developer',
      groups: ['developers', 'system:authenticated'],
      auth: 'token',
      token: 'developer-token',
      rules: [
        { verbs: ALL, resources: ALL, namespaces: ['default', 'dev'] },
        { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['namespaces', 'nodes'] },
        { verbs: ['get', 'list'], apiGroups: ['metrics.k8s.io'], resources: ALL },
      ],
    },
    {
      name: 'viewer',
      groups: ['viewers', 'system:authenticated'],
      auth: 'token',
      token: 'viewer-token',
      rules: [
        {
          verbs: ['get', 'list', 'watch'],
          resources: ['pods', 'pods/log', 'services', 'endpoints', 'events', 'configmaps', 'persistentvolumeclaims', 'deployments', 'deployments/scale', 'replicasets', 'horizontalpodautoscalers', 'ingresses', 'ingressclasses', 'namespaces', 'nodes'],
        },
        { verbs: ['get', 'list'], apiGroups: ['metrics.k8s.io'], resources: ALL },
      ],
    },
    { name: 'viewer-cert', groups: ['viewers', 'system:authenticated'], auth: 'certificate', rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: ['', 'apps'], resources: ['pods', 'deployments', 'replicasets'] }] },
    { name: 'nobody', groups: ['system:authenticated'], auth: 'token', token: 'nobody-token', rules: [] },
  ];
}

/** What every authenticated user may do (system:basic-user and system:discovery). */
const SELF_REVIEW_RULE: PolicyRule = { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] };
export const NON_RESOURCE_RULES = [
  { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] },
];

function matches(list: string[] | undefined, value: string): boolean {
  return list === undefined || list.includes('*') || list.includes(value);
}

function ruleAllows(rule: PolicyRule, attributes: RequestAttributes): boolean {
  if (!matches(rule.verbs, attributes.verb)) return false;
  if (!matches(rule.apiGroups, attributes.group)) return false;
  const resource = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
  const resourceOk = rule.resources.some(
    (candidate) => candidate === '*' || candidate === resource || (attributes.subresource && candidate === `*/${attributes.subresource}`) || (candidate === `${attributes.resource}/*` && attributes.subresource !== ''),
  );
  if (!resourceOk) return false;
  if (rule.namespaces !== undefined && !rule.namespaces.includes('*') && !rule.namespaces.includes(attributes.namespace)) return false;
  if (rule.resourceNames !== undefined && rule.resourceNames.length > 0 && !rule.resourceNames.includes(attributes.name)) return false;
  return true;
}

export function isAllowed(user: TestUser, attributes: RequestAttributes): boolean {
  if (ruleAllows(SELF_REVIEW_RULE, attributes)) return true;
  return user.rules.some((rule) => ruleAllows(rule, attributes));
}

/** The rules a SelfSubjectRulesReview reports for one namespace, in rbac/v1 PolicyRule form. */
export function rulesInNamespace(user: TestUser, namespace: string): { verbs: string[]; apiGroups: string[]; resources: string[]; resourceNames?: string[] }[] {
  return [SELF_REVIEW_RULE, ...user.rules]
    .filter((rule) => rule.namespaces === undefined || rule.namespaces.includes('*') || rule.namespaces.includes(namespace))
    .map((rule) => ({
      verbs: rule.verbs,
      apiGroups: rule.apiGroups ?? ['*'],
      resources: rule.resources,
      ...(rule.resourceNames ? { resourceNames: rule.resourceNames } : {}),
    }));
}
