// kubectl's typed clients (create configmap/secret/deployment/namespace/service, autoscale,
// auth can-i) send request bodies as Kubernetes protobuf ("k8s\0" + runtime.Unknown). This
// decodes those bodies to the JSON object model, for the types and fields kubectl sends, with
// field numbers from the upstream generated.proto files. Responses stay JSON (kubectl accepts it).

import { badRequest } from './status.ts';

type Scalar = 'string' | 'bytes' | 'int' | 'bool' | 'quantity' | 'intOrString' | 'time';
type FieldType = Scalar | { message: string } | { map: 'string' | 'bytes' | 'quantity' };
interface Field {
  name: string;
  type: FieldType;
  repeated?: boolean;
}
type Schema = Record<number, Field>;

const s = (name: string): Field => ({ name, type: 'string' });
const i = (name: string): Field => ({ name, type: 'int' });
const b = (name: string): Field => ({ name, type: 'bool' });
const m = (name: string, message: string, repeated = false): Field => ({ name, type: { message }, repeated });
const strings = (name: string): Field => ({ name, type: 'string', repeated: true });
const map = (name: string, value: 'string' | 'bytes' | 'quantity' = 'string'): Field => ({ name, type: { map: value } });

const SCHEMAS: Record<string, Schema> = {
  ObjectMeta: { 1: s('name'), 2: s('generateName'), 3: s('namespace'), 5: s('uid'), 6: s('resourceVersion'), 7: i('generation'), 11: map('labels'), 12: map('annotations'), 13: m('ownerReferences', 'OwnerReference', true), 14: strings('finalizers') },
  OwnerReference: { 1: s('kind'), 3: s('name'), 4: s('uid'), 5: s('apiVersion'), 6: b('controller'), 7: b('blockOwnerDeletion') },
  LabelSelector: { 1: map('matchLabels'), 2: m('matchExpressions', 'LabelSelectorRequirement', true) },
  LabelSelectorRequirement: { 1: s('key'), 2: s('operator'), 3: strings('values') },
  ConfigMap: { 1: m('metadata', 'ObjectMeta'), 2: map('data'), 3: map('binaryData', 'bytes'), 4: b('immutable') },
  Secret: { 1: m('metadata', 'ObjectMeta'), 2: map('data', 'bytes'), 3: s('type'), 4: map('stringData'), 5: b('immutable') },
  Namespace: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'NamespaceSpec') },
  NamespaceSpec: { 1: strings('finalizers') },
  Pod: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'PodSpec') },
  PodTemplateSpec: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'PodSpec') },
  PodSpec: {
    2: m('containers', 'Container', true), 3: s('restartPolicy'), 4: i('terminationGracePeriodSeconds'), 5: i('activeDeadlineSeconds'), 6: s('dnsPolicy'), 7: map('nodeSelector'),
    8: s('serviceAccountName'), 10: s('nodeName'), 11: b('hostNetwork'), 19: s('schedulerName'), 20: m('initContainers', 'Container', true), 22: m('tolerations', 'Toleration', true),
    24: s('priorityClassName'), 25: i('priority'), 30: b('enableServiceLinks'),
  },
  Container: {
    1: s('name'), 2: s('image'), 3: strings('command'), 4: strings('args'), 5: s('workingDir'), 6: m('ports', 'ContainerPort', true), 7: m('env', 'EnvVar', true),
    8: m('resources', 'ResourceRequirements'), 13: s('terminationMessagePath'), 14: s('imagePullPolicy'), 16: b('stdin'), 17: b('stdinOnce'), 18: b('tty'), 20: s('terminationMessagePolicy'),
  },
  ContainerPort: { 1: s('name'), 2: i('hostPort'), 3: i('containerPort'), 4: s('protocol'), 5: s('hostIP') },
  EnvVar: { 1: s('name'), 2: s('value') },
  ResourceRequirements: { 1: map('limits', 'quantity'), 2: map('requests', 'quantity') },
  Toleration: { 1: s('key'), 2: s('operator'), 3: s('value'), 4: s('effect'), 5: i('tolerationSeconds') },
  Service: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'ServiceSpec') },
  ServiceSpec: { 1: m('ports', 'ServicePort', true), 2: map('selector'), 3: s('clusterIP'), 4: s('type'), 5: strings('externalIPs'), 7: s('sessionAffinity'), 10: s('externalName'), 18: strings('clusterIPs') },
  ServicePort: { 1: s('name'), 2: s('protocol'), 3: i('port'), 4: { name: 'targetPort', type: 'intOrString' }, 5: i('nodePort'), 6: s('appProtocol') },
  Deployment: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'DeploymentSpec') },
  DeploymentSpec: { 1: i('replicas'), 2: m('selector', 'LabelSelector'), 3: m('template', 'PodTemplateSpec'), 4: m('strategy', 'DeploymentStrategy'), 5: i('minReadySeconds'), 6: i('revisionHistoryLimit'), 7: b('paused'), 9: i('progressDeadlineSeconds') },
  DeploymentStrategy: { 1: s('type'), 2: m('rollingUpdate', 'RollingUpdateDeployment') },
  RollingUpdateDeployment: { 1: { name: 'maxUnavailable', type: 'intOrString' }, 2: { name: 'maxSurge', type: 'intOrString' } },
  'autoscaling/v1.HorizontalPodAutoscaler': { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'HpaV1Spec') },
  HpaV1Spec: { 1: m('scaleTargetRef', 'CrossVersionObjectReference'), 2: i('minReplicas'), 3: i('maxReplicas'), 4: i('targetCPUUtilizationPercentage') },
  'autoscaling/v2.HorizontalPodAutoscaler': { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'HpaV2Spec') },
  HpaV2Spec: { 1: m('scaleTargetRef', 'CrossVersionObjectReference'), 2: i('minReplicas'), 3: i('maxReplicas'), 4: m('metrics', 'MetricSpec', true) },
  MetricSpec: { 1: s('type'), 4: m('resource', 'ResourceMetricSource') },
  ResourceMetricSource: { 1: s('name'), 2: m('target', 'MetricTarget') },
  MetricTarget: { 1: s('type'), 2: { name: 'value', type: 'quantity' }, 3: { name: 'averageValue', type: 'quantity' }, 4: i('averageUtilization') },
  CrossVersionObjectReference: { 1: s('kind'), 2: s('name'), 3: s('apiVersion') },
  SelfSubjectAccessReview: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'SelfSubjectAccessReviewSpec') },
  SelfSubjectAccessReviewSpec: { 1: m('resourceAttributes', 'ResourceAttributes'), 2: m('nonResourceAttributes', 'NonResourceAttributes') },
  ResourceAttributes: { 1: s('namespace'), 2: s('verb'), 3: s('group'), 4: s('version'), 5: s('resource'), 6: s('subresource'), 7: s('name') },
  NonResourceAttributes: { 1: s('path'), 2: s('verb') },
  SelfSubjectRulesReview: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'SelfSubjectRulesReviewSpec') },
  SelfSubjectRulesReviewSpec: { 1: s('namespace') },
  DeleteOptions: { 1: i('gracePeriodSeconds'), 2: m('preconditions', 'Preconditions'), 4: s('propagationPolicy'), 5: strings('dryRun') },
  Preconditions: { 1: s('uid'), 2: s('resourceVersion') },
};

/** Pointer fields where an explicit 0 means something. */
const KEEP_ZERO = new Set(['replicas', 'minReplicas', 'terminationGracePeriodSeconds', 'gracePeriodSeconds', 'tolerationSeconds', 'revisionHistoryLimit', 'intVal']);

class Reader {
  private offset = 0;
  private readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.bytes[this.offset++];
      if (byte === undefined) throw badRequest('truncated protobuf body');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  }

  chunk(): Uint8Array {
    const length = Number(this.varint());
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.offset += 8;
    else if (wireType === 2) this.chunk();
    else if (wireType === 5) this.offset += 4;
    else throw badRequest(`unsupported protobuf wire type ${wireType}`);
  }
}

function signed(value: bigint): number {
  return Number(BigInt.asIntN(64, value));
}

function decodeScalar(type: Scalar, reader: Reader, wireType: number): unknown {
  const text = (): string => Buffer.from(reader.chunk()).toString('utf8');
  switch (type) {
    case 'string':
      return text();
    case 'bytes':
      return Buffer.from(reader.chunk()).toString('base64');
    case 'int':
      return signed(reader.varint());
    case 'bool':
      return reader.varint() !== 0n;
    case 'quantity': {
      const message = decodeMessage({ 1: s('string') }, reader.chunk());
      return message.string;
    }
    case 'intOrString': {
      const message = decodeMessage({ 1: i('type'), 2: i('intVal'), 3: s('strVal') }, reader.chunk());
      return message.type === 1 ? message.strVal : (message.intVal ?? 0);
    }
    case 'time': {
      const message = decodeMessage({ 1: i('seconds') }, reader.chunk());
      return new Date(Number(message.seconds ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
  }
  void wireType;
  return undefined;
}

function decodeMessage(schema: Schema, bytes: Uint8Array): Record<string, unknown> {
  const reader = new Reader(bytes);
  const result: Record<string, unknown> = {};
  while (!reader.done) {
    const tag = Number(reader.varint());
    const number = tag >>> 3;
    const wireType = tag & 7;
    const field = schema[number];
    if (!field) {
      reader.skip(wireType);
      continue;
    }
    let value: unknown;
    const type = field.type;
    if (typeof type === 'object' && 'map' in type) {
      const entry = decodeMessage({ 1: s('key'), 2: { name: 'value', type: type.map } }, reader.chunk());
      const target = (result[field.name] as Record<string, unknown> | undefined) ?? {};
      target[String(entry.key ?? '')] = entry.value ?? '';
      result[field.name] = target;
      continue;
    }
    if (typeof type === 'object') {
      const nested = SCHEMAS[type.message];
      value = nested ? decodeMessage(nested, reader.chunk()) : (reader.chunk(), {});
    } else if (field.repeated && wireType === 2 && (type === 'int' || type === 'bool')) {
      // packed repeated scalars do not occur in the fields we decode
      reader.skip(wireType);
      continue;
    } else value = decodeScalar(type, reader, wireType);
    // gogo-protobuf writes Go zero values of non-pointer fields; JSON would have omitted them.
    if (value === '' || value === false || (value === 0 && !KEEP_ZERO.has(field.name))) continue;
    if (field.repeated) {
      const list = (result[field.name] as unknown[] | undefined) ?? [];
      list.push(value);
      result[field.name] = list;
    } else result[field.name] = value;
  }
  return result;
}

export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export function isProtobufBody(body: Buffer): boolean {
  return body.length >= 4 && body.subarray(0, 4).equals(PROTOBUF_MAGIC);
}

/** Decode a "k8s\0"-prefixed runtime.Unknown body into a JSON-shaped object. */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  const unknown = decodeMessage({ 1: m('typeMeta', 'TypeMeta'), 2: { name: 'raw', type: 'bytes' } }, body.subarray(4));
  const typeMeta = (unknown.typeMeta as Record<string, unknown> | undefined) ?? {};
  const apiVersion = String(typeMeta.apiVersion ?? '');
  const kind = String(typeMeta.kind ?? '');
  const schema = SCHEMAS[`${apiVersion}.${kind}`] ?? SCHEMAS[kind];
  if (!schema) throw new Error(`the kube test server cannot decode protobuf ${apiVersion} ${kind}; send JSON`);
  const raw = Buffer.from(String(unknown.raw ?? ''), 'base64');
  const object = decodeMessage(schema, raw);
  return { ...(kind === 'DeleteOptions' ? {} : { apiVersion, kind }), ...object, ...(kind !== 'DeleteOptions' && !object.metadata ? { metadata: {} } : {}) };
}

SCHEMAS.TypeMeta = { 1: s('apiVersion'), 2: s('kind') };
