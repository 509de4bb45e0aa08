// Validation of the RBAC and apiregistration kinds a Metrics Server manifest carries, with the
// apiserver's field paths and wording (pkg/apis/rbac/validation, kube-aggregator validation).

import { isRecord, type KubeObject } from '../model/types.ts';
import { invalid, type StatusCause } from './status.ts';

const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'];

function validateRules(object: KubeObject, causes: StatusCause[]): void {
  const rules = Array.isArray(object.rules) ? object.rules : [];
  if (object.rules !== undefined && !Array.isArray(object.rules)) causes.push({ field: 'rules', message: 'Invalid value: must be a list' });
  rules.forEach((rule: unknown, index) => {
    const entry = isRecord(rule) ? rule : {};
    if (!Array.isArray(entry.verbs) || entry.verbs.length === 0) causes.push({ field: `rules[${index}].verbs`, reason: 'FieldValueRequired', message: 'Required value: verbs must contain at least one value' });
    const hasUrls = Array.isArray(entry.nonResourceURLs) && entry.nonResourceURLs.length > 0;
    if (!hasUrls && (!Array.isArray(entry.apiGroups) || entry.apiGroups.length === 0)) {
      causes.push({ field: `rules[${index}].apiGroups`, reason: 'FieldValueRequired', message: 'Required value: resource rules must supply at least one api group' });
    }
    if (!hasUrls && (!Array.isArray(entry.resources) || entry.resources.length === 0)) {
      causes.push({ field: `rules[${index}].resources`, reason: 'FieldValueRequired', message: 'Required value: resource rules must supply at least one resource' });
    }
  });
}

function validateBinding(object: KubeObject, cluster: boolean, causes: StatusCause[]): void {
  const roleRef = isRecord(object.roleRef) ? object.roleRef : {};
  const kinds = cluster ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (roleRef.apiGroup !== 'rbac.authorization.k8s.io') causes.push({ field: 'roleRef.apiGroup', reason: 'FieldValueNotSupported', message: `Unsupported value: "${String(roleRef.apiGroup ?? '')}": supported values: "rbac.authorization.k8s.io"` });
  if (!kinds.includes(String(roleRef.kind ?? ''))) {
    causes.push({ field: 'roleRef.kind', reason: 'FieldValueNotSupported', message: `Unsupported value: "${String(roleRef.kind ?? '')}": supported values: ${kinds.map((kind) => `"${kind}"`).join(', ')}` });
  }
  if (!roleRef.name) causes.push({ field: 'roleRef.name', reason: 'FieldValueRequired', message: 'Required value' });
  const subjects = Array.isArray(object.subjects) ? object.subjects : [];
  subjects.forEach((subject: unknown, index) => {
    const entry = isRecord(subject) ? subject : {};
    if (!SUBJECT_KINDS.includes(String(entry.kind ?? ''))) {
      causes.push({ field: `subjects[${index}].kind`, reason: 'FieldValueNotSupported', message: `Unsupported value: "${String(entry.kind ?? '')}": supported values: "ServiceAccount", "User", "Group"` });
    }
    if (!entry.name) causes.push({ field: `subjects[${index}].name`, reason: 'FieldValueRequired', message: 'Required value' });
    if (entry.kind === 'ServiceAccount' && cluster && !entry.namespace) causes.push({ field: `subjects[${index}].namespace`, reason: 'FieldValueRequired', message: 'Required value' });
  });
}

function validateApiService(object: KubeObject, causes: StatusCause[]): void {
  const spec = isRecord(object.spec) ? object.spec : {};
  const group = String(spec.group ?? '');
  const version = String(spec.version ?? '');
  if (!version) causes.push({ field: 'spec.version', reason: 'FieldValueRequired', message: 'Required value' });
  if (object.metadata.name !== `${version}.${group}`) causes.push({ field: 'metadata.name', message: `Invalid value: "${object.metadata.name ?? ''}": must be ${version}.${group}` });
  const groupPriority = Number(spec.groupPriorityMinimum ?? 0);
  if (!(groupPriority > 0 && groupPriority <= 20000)) causes.push({ field: 'spec.groupPriorityMinimum', message: `Invalid value: ${groupPriority}: must be positive and less than 20000` });
  const versionPriority = Number(spec.versionPriority ?? 0);
  if (!(versionPriority > 0 && versionPriority <= 1000)) causes.push({ field: 'spec.versionPriority', message: `Invalid value: ${versionPriority}: must be positive and less than 1000` });
  const service = isRecord(spec.service) ? spec.service : null;
  if (service && (!service.name || !service.namespace)) causes.push({ field: 'spec.service', reason: 'FieldValueRequired', message: 'Required value: service name and namespace are required' });
  if (service && !spec.insecureSkipTLSVerify && !spec.caBundle) causes.push({ field: 'spec.caBundle', reason: 'FieldValueRequired', message: 'Required value: must be set if insecureSkipTLSVerify is false' });
  if (spec.insecureSkipTLSVerify && spec.caBundle) causes.push({ field: 'spec.insecureSkipTLSVerify', message: 'Invalid value: true: may not be true if caBundle is present' });
}

/** Validation for ClusterRole/Role, their bindings and APIService; other kinds pass through. */
export function admitAggregationKinds(kind: string, object: KubeObject, causes: StatusCause[]): void {
  if (kind === 'ClusterRole' || kind === 'Role') validateRules(object, causes);
  if (kind === 'ClusterRoleBinding' || kind === 'RoleBinding') validateBinding(object, kind === 'ClusterRoleBinding', causes);
  if (kind === 'APIService') validateApiService(object, causes);
}

/** A binding's roleRef cannot change (the apiserver says "cannot change roleRef"). */
export function validateRoleRefUnchanged(kind: string, group: string, updated: KubeObject, current: KubeObject): void {
  if (kind !== 'ClusterRoleBinding' && kind !== 'RoleBinding') return;
  if (JSON.stringify(updated.roleRef) === JSON.stringify(current.roleRef)) return;
  throw invalid(kind, group, current.metadata.name ?? '', [{ field: 'roleRef', message: `Invalid value: ${JSON.stringify(updated.roleRef)}: cannot change roleRef` }]);
}
