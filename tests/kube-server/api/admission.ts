// Defaulting and validation on the write path, with the apiserver's field paths and wording
// for the mistakes tests are likely to make on purpose.

import { admitAggregationKinds } from './admission-aggregation.ts';
import { invalid, type StatusCause } from './status.ts';
import { isValidQuantity } from '../model/quantity.ts';
import { matchesSelector } from '../model/selectors.ts';
import { isRecord, type Deployment, type HorizontalPodAutoscaler, type KubeObject, type Pod, type PodSpec, type Service } from '../model/types.ts';
import type { ResourceType } from './resources.ts';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

let nextClusterIp = 10;

function validateName(type: ResourceType, object: KubeObject, causes: StatusCause[]): void {
  const name = object.metadata.name ?? '';
  if (!name) {
    causes.push({ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' });
    return;
  }
  // RBAC objects only need to be valid path segments (apiserver's ValidatePathSegmentName).
  if (type.group === 'rbac.authorization.k8s.io') {
    const bad = name === '.' || name === '..' ? `may not be '${name}'` : name.includes('/') ? "may not contain '/'" : name.includes('%') ? "may not contain '%'" : null;
    if (bad) causes.push({ field: 'metadata.name', message: `Invalid value: "${name}": ${bad}` });
    return;
  }
  const dnsLabel = type.kind === 'Namespace' || type.kind === 'Service';
  const pattern = dnsLabel ? LABEL : SUBDOMAIN;
  if (!pattern.test(name) || name.length > (dnsLabel ? 63 : 253)) {
    const description = dnsLabel
      ? `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`
      : `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
    causes.push({ field: 'metadata.name', message: `Invalid value: "${name}": ${description}` });
  }
}

export function defaultPodSpec(spec: PodSpec, path: string, causes: StatusCause[]): void {
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) {
    causes.push({ field: `${path}.containers`, reason: 'FieldValueRequired', message: 'Required value' });
    return;
  }
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.containers.forEach((container, index) => {
    const field = `${path}.containers[${index}]`;
    if (!container.name) causes.push({ field: `${field}.name`, reason: 'FieldValueRequired', message: 'Required value' });
    if (!container.image) causes.push({ field: `${field}.image`, reason: 'FieldValueRequired', message: 'Required value' });
    const image = container.image ?? '';
    container.imagePullPolicy ??= image.includes(':') && !image.endsWith(':latest') ? 'IfNotPresent' : 'Always';
    container.terminationMessagePath ??= '/dev/termination-log';
    container.terminationMessagePolicy ??= 'File';
    container.resources ??= {};
    for (const kind of ['requests', 'limits'] as const) {
      for (const [resource, value] of Object.entries(container.resources[kind] ?? {})) {
        if (!isValidQuantity(String(value))) causes.push({ field: `${field}.resources.${kind}[${resource}]`, message: `Invalid value: "${String(value)}": must be a valid quantity` });
      }
    }
    for (const port of container.ports ?? []) port.protocol ??= 'TCP';
  });
}

function defaultPod(pod: Pod, causes: StatusCause[]): void {
  if (!isRecord(pod.spec)) {
    causes.push({ field: 'spec.containers', reason: 'FieldValueRequired', message: 'Required value' });
    return;
  }
  defaultPodSpec(pod.spec, 'spec', causes);
  pod.spec.serviceAccountName ??= 'default';
  pod.spec.enableServiceLinks ??= true;
  pod.spec.priority ??= 0;
  const tolerations = pod.spec.tolerations ?? [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerations.some((toleration) => toleration.key === key)) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 } as never);
  }
  pod.spec.tolerations = tolerations;
  const containers = pod.spec.containers ?? [];
  const hasRequests = containers.some((container) => Object.keys(container.resources?.requests ?? {}).length > 0 || Object.keys(container.resources?.limits ?? {}).length > 0);
  const guaranteed = containers.every((container) => container.resources?.limits?.cpu && container.resources.limits.memory && (container.resources.requests?.cpu ?? container.resources.limits.cpu) === container.resources.limits.cpu);
  pod.status = { phase: 'Pending', qosClass: guaranteed && hasRequests ? 'Guaranteed' : hasRequests ? 'Burstable' : 'BestEffort', ...(pod.status ?? {}) };
}

function defaultDeployment(deployment: Deployment, causes: StatusCause[]): void {
  const spec = deployment.spec;
  if (!isRecord(spec)) {
    causes.push({ field: 'spec.selector', reason: 'FieldValueRequired', message: 'Required value' });
    return;
  }
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.strategy ??= { type: 'RollingUpdate' };
  if ((spec.strategy.type ?? 'RollingUpdate') === 'RollingUpdate') {
    spec.strategy.type = 'RollingUpdate';
    spec.strategy.rollingUpdate = { maxSurge: '25%', maxUnavailable: '25%', ...(spec.strategy.rollingUpdate ?? {}) };
  }
  validateTemplate(spec.selector, spec.template, causes);
}

function validateTemplate(selector: Deployment['spec']['selector'] | undefined, template: Deployment['spec']['template'] | undefined, causes: StatusCause[]): void {
  if (!selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)) {
    causes.push({ field: 'spec.selector', reason: 'FieldValueRequired', message: 'Required value' });
  }
  if (!template || !isRecord(template.spec)) {
    causes.push({ field: 'spec.template.spec.containers', reason: 'FieldValueRequired', message: 'Required value' });
    return;
  }
  defaultPodSpec(template.spec, 'spec.template.spec', causes);
  const labels = template.metadata?.labels ?? {};
  if (selector && !matchesSelector(labels, selector)) {
    const shown = Object.entries(labels)
      .map(([key, value]) => `"${key}":"${value}"`)
      .join(', ');
    causes.push({ field: 'spec.template.metadata.labels', message: `Invalid value: map[string]string{${shown}}: \`selector\` does not match template \`labels\`` });
  }
}

function defaultService(service: Service): void {
  service.spec ??= {};
  service.spec.type ??= 'ClusterIP';
  if (!service.spec.clusterIP) {
    const ip = `10.96.${Math.floor(nextClusterIp / 250)}.${(nextClusterIp % 250) + 1}`;
    nextClusterIp++;
    service.spec.clusterIP = ip;
    service.spec.clusterIPs = [ip];
  }
  service.spec.sessionAffinity ??= 'None';
  for (const port of service.spec.ports ?? []) {
    port.protocol ??= 'TCP';
    port.targetPort ??= port.port;
    if ((service.spec.type === 'NodePort' || service.spec.type === 'LoadBalancer') && port.nodePort === undefined) port.nodePort = 30000 + Math.floor(Math.random() * 2767);
  }
  service.status ??= { loadBalancer: {} };
}

function defaultHpa(hpa: HorizontalPodAutoscaler, causes: StatusCause[]): void {
  const spec = hpa.spec;
  if (!isRecord(spec) || typeof spec.maxReplicas !== 'number' || spec.maxReplicas < 1) {
    causes.push({ field: 'spec.maxReplicas', message: 'Invalid value: 0: must be greater than or equal to 1' });
    return;
  }
  spec.minReplicas ??= 1;
  if (spec.minReplicas > spec.maxReplicas) causes.push({ field: 'spec.maxReplicas', message: `Invalid value: ${spec.maxReplicas}: must be greater than or equal to \`minReplicas\`` });
  if (!spec.metrics || spec.metrics.length === 0) spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
}

/** Default and validate an object about to be created; throws 422 Invalid. */
export function admit(type: ResourceType, object: KubeObject, creating: boolean): void {
  const causes: StatusCause[] = [];
  if (creating) validateName(type, object, causes);
  admitAggregationKinds(type.kind, object, causes);
  switch (type.kind) {
    case 'Pod':
      defaultPod(object as Pod, causes);
      break;
    case 'Deployment':
      defaultDeployment(object as Deployment, causes);
      break;
    case 'ReplicaSet': {
      const spec = object.spec as Deployment['spec'];
      spec.replicas ??= 1;
      validateTemplate(spec.selector, spec.template, causes);
      break;
    }
    case 'Service':
      defaultService(object as Service);
      break;
    case 'HorizontalPodAutoscaler':
      defaultHpa(object as HorizontalPodAutoscaler, causes);
      break;
    case 'Secret':
      if (!object.type) object.type = 'Opaque';
      if (isRecord(object.stringData)) {
        const data = isRecord(object.data) ? object.data : {};
        for (const [key, value] of Object.entries(object.stringData)) data[key] = Buffer.from(String(value)).toString('base64');
        object.data = data;
        delete object.stringData;
      }
      break;
    case 'Namespace':
      object.spec = { finalizers: ['kubernetes'] };
      object.status = { phase: isRecord(object.status) && object.status.phase === 'Terminating' ? 'Terminating' : 'Active' };
      if (creating) object.metadata.labels = { 'kubernetes.io/metadata.name': object.metadata.name ?? '', ...(object.metadata.labels ?? {}) };
      break;
    case 'PersistentVolumeClaim':
      if (creating) object.status = { phase: 'Pending' };
      if (isRecord(object.spec)) object.spec.volumeMode ??= 'Filesystem';
      break;
  }
  if (causes.length > 0) throw invalid(type.kind, type.group, object.metadata.name ?? '', causes);
}

/** Pods are mostly immutable: only images (and a few scheduling fields) may change on update. */
export function validatePodUpdate(updated: Pod, current: Pod): void {
  const strip = (spec: PodSpec): string => JSON.stringify({ ...spec, containers: spec.containers.map((container) => ({ ...container, image: '' })), tolerations: undefined, activeDeadlineSeconds: undefined });
  if (strip(updated.spec) !== strip(current.spec)) {
    throw invalid('Pod', '', updated.metadata.name ?? '', [
      {
        field: 'spec',
        reason: 'FieldValueForbidden',
        message:
          'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      },
    ]);
  }
}
