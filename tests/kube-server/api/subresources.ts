// The scale subresource of deployments and replicasets, and pods/log.

import { deepClone, isKubeObject, isRecord, type Deployment, type KubeObject, type Pod } from '../model/types.ts';
import { selectorToString } from '../model/selectors.ts';
import type { LogLine } from '../pod-logs.ts';
import { queryFlag, queryInt, sendJson } from './http.ts';
import { isDryRun } from './dry-run.ts';
import { applyPatch, patchTypeOf } from './patch.ts';
import type { ApiRequest } from './request.ts';
import { typeKey } from './resources.ts';
import { ApiError, badRequest, conflict, methodNotAllowed, unsupportedMediaType } from './status.ts';

function scaleOf(object: Deployment): KubeObject {
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
      creationTimestamp: object.metadata.creationTimestamp,
    },
    spec: { replicas: object.spec.replicas ?? 1 },
    status: { replicas: object.status?.replicas ?? 0, selector: selectorToString(object.spec.selector) },
  };
}

export async function handleScale(request: ApiRequest): Promise<void> {
  const { route, context } = request;
  const key = typeKey(route.type);
  const current = context.store.require<Deployment>(key, route.namespace, route.name);
  if (request.verb === 'get') {
    sendJson(request.response, 200, scaleOf(current));
    return;
  }
  let scale: unknown;
  if (request.verb === 'patch') {
    const patchType = patchTypeOf(request.contentType);
    if (!patchType) throw unsupportedMediaType(request.contentType);
    scale = applyPatch(patchType, scaleOf(current), await request.body());
  } else if (request.verb === 'update') {
    scale = await request.body();
  } else throw methodNotAllowed();
  if (!isKubeObject(scale) || !isRecord(scale.spec)) throw badRequest('the server rejected our request due to an error in our request: invalid Scale');
  const replicas = scale.spec.replicas;
  if (typeof replicas !== 'number' || replicas < 0 || !Number.isInteger(replicas)) {
    throw new ApiError(422, 'Invalid', `Scale.autoscaling "${route.name}" is invalid: spec.replicas: Invalid value: ${String(replicas)}: must be greater than or equal to 0`);
  }
  const expected = scale.metadata.resourceVersion;
  if (expected && expected !== current.metadata.resourceVersion) throw conflict(route.type.group, route.type.plural, route.name);
  if (isDryRun(request)) {
    const preview = deepClone(current);
    preview.spec.replicas = replicas;
    sendJson(request.response, 200, scaleOf(preview));
    return;
  }
  const updated = context.store.mutate<Deployment>(key, route.namespace, route.name, (copy) => {
    copy.spec.replicas = replicas;
  });
  sendJson(request.response, 200, scaleOf(updated ?? current));
}

function waitingMessage(pod: Pod, container: string): string | undefined {
  const status = pod.status?.containerStatuses?.find((entry) => entry.name === container);
  const name = pod.metadata.name ?? '';
  if (!status) return `container "${container}" in pod "${name}" is waiting to start: ContainerCreating`;
  const reason = status.state.waiting?.reason;
  if (reason && status.restartCount === 0 && !status.lastState.terminated) {
    if (reason === 'ImagePullBackOff' || reason === 'ErrImagePull') return `container "${container}" in pod "${name}" is waiting to start: trying and failing to pull image`;
    return `container "${container}" in pod "${name}" is waiting to start: ${reason}`;
  }
  return undefined;
}

function selectLines(lines: LogLine[], query: URLSearchParams): LogLine[] {
  let selected = lines;
  const sinceSeconds = queryInt(query, 'sinceSeconds');
  const sinceTime = query.get('sinceTime');
  const since = sinceSeconds !== undefined ? Date.now() - sinceSeconds * 1000 : sinceTime ? Date.parse(sinceTime) : undefined;
  if (since !== undefined) selected = selected.filter((line) => Date.parse(line.time) >= since);
  const tail = queryInt(query, 'tailLines');
  if (tail !== undefined && tail >= 0) selected = tail === 0 ? [] : selected.slice(-tail);
  return selected;
}

function formatLine(line: LogLine, timestamps: boolean): string {
  return `${timestamps ? `${line.time} ` : ''}${line.text}\n`;
}

export function handleLog(request: ApiRequest): void {
  const { route, context, query, response } = request;
  if (request.verb !== 'get') throw methodNotAllowed();
  const pod = context.store.require<Pod>('pods', route.namespace, route.name);
  const names = pod.spec.containers.map((container) => container.name);
  let container = query.get('container') ?? '';
  if (!container) {
    if (names.length !== 1) throw badRequest(`a container name must be specified for pod ${route.name}, choose one of: [${names.join(' ')}]`);
    container = names[0] ?? '';
  }
  if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${route.name}`);
  const previous = queryFlag(query, 'previous');
  const uid = pod.metadata.uid ?? '';
  // kubelet serves `previous` from lastState.terminated: while a crashed container waits to be
  // started again (CrashLoopBackOff), that is the run whose output is still the current buffer here.
  const status = pod.status?.containerStatuses?.find((entry) => entry.name === container);
  const previousIsCurrent = previous && status?.state.waiting !== undefined && status.lastState.terminated !== undefined;
  if (previous && !previousIsCurrent) {
    const lines = context.logs.lines(uid, container, true);
    if (!lines) throw badRequest(`previous terminated container "${container}" in pod "${route.name}" not found`);
  } else if (!previous) {
    const waiting = waitingMessage(pod, container);
    if (waiting) throw badRequest(waiting);
  }
  const timestamps = queryFlag(query, 'timestamps');
  let text = selectLines(context.logs.lines(uid, container, previous && !previousIsCurrent) ?? [], query)
    .map((line) => formatLine(line, timestamps))
    .join('');
  const limitBytes = queryInt(query, 'limitBytes');
  if (limitBytes !== undefined && limitBytes > 0) text = Buffer.from(text).subarray(0, limitBytes).toString('utf8');
  if (!queryFlag(query, 'follow') || previous) {
    response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
    response.end(text);
    return;
  }
  response.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  response.write(text);
  const stopFollowing = context.logs.follow(uid, container, (line) => response.write(formatLine(line, timestamps)));
  const unsubscribe = context.store.subscribe((change) => {
    if (change.typeKey !== 'pods' || change.object.metadata.uid !== uid) return;
    const status = (change.object as Pod).status?.containerStatuses?.find((entry) => entry.name === container);
    if (change.type === 'DELETED' || status?.state.terminated) stream.end();
  });
  const stream = {
    end(): void {
      stopFollowing();
      unsubscribe();
      context.watches.delete(stream);
      if (!response.writableEnded) response.end();
    },
  };
  context.watches.add(stream);
  response.on('close', () => stream.end());
}
