// get / list / create / update / patch / delete for every stored resource type.

import { randomBytes, randomUUID } from 'node:crypto';
import { isKubeObject, deepClone, isRecord, type KubeObject, type Pod } from '../model/types.ts';
import { timestamp } from '../model/time.ts';
import { deleteObject, type DeleteOptions } from '../lifecycle.ts';
import { isDryRun } from './dry-run.ts';
import { validateRoleRefUnchanged } from './admission-aggregation.ts';
import { admit, validatePodUpdate } from './admission.ts';
import { fromStorage, needsConversion, toStorage } from './conversion.ts';
import { queryInt, sendJson, wantsTable } from './http.ts';
import { listJson, listObjects, objectJson, objectMatcher } from './list.ts';
import { applyPatch, patchTypeOf } from './patch.ts';
import type { ApiRequest } from './request.ts';
import { apiVersionOf, typeKey } from './resources.ts';
import { ApiError, badRequest, generateNameConflict, notFound, unsupportedMediaType, methodNotAllowed } from './status.ts';
import { buildTable, type IncludeObject } from './tables.ts';
import { serveWatch } from './watch.ts';

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = 5): string {
  const bytes = randomBytes(length);
  return [...bytes].map((byte) => NAME_ALPHABET[byte % NAME_ALPHABET.length]).join('');
}

/** How often the API server draws a generated name before it gives up (RetryGenerateName, on by default since Kubernetes 1.31). */
export const generateNameAttempts = 8;

/**
 * A name for `metadata.generateName`: the prefix and a random 5-character suffix, drawn again
 * while the name is taken, as the real registry does. 5,000 pods of one ReplicaSet clash about
 * once in two Deployments (27^5 suffixes); before 1.31 that create failed.
 */
export function generatedName(prefix: string, taken: (name: string) => boolean, resource: { group: string; plural: string }, suffix: () => string = randomSuffix): string {
  let name = '';
  for (let attempt = 0; attempt < generateNameAttempts; attempt++) {
    name = `${prefix}${suffix()}`;
    if (!taken(name)) return name;
  }
  throw generateNameConflict(resource.group, resource.plural, name);
}

function includeObject(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

export function output(request: ApiRequest, object: KubeObject): KubeObject {
  return fromStorage(request.route.type, request.route.version, object);
}

function respondObject(request: ApiRequest, code: number, object: KubeObject): void {
  const converted = output(request, object);
  if (wantsTable(request.accept)) {
    sendJson(request.response, code, buildTable(typeKey(request.route.type), [converted], { resourceVersion: object.metadata.resourceVersion ?? '' }, includeObject(request.query)), 'application/json;as=Table;v=v1;g=meta.k8s.io');
    return;
  }
  sendJson(request.response, code, converted === object ? objectJson(object) : converted);
}

async function readObject(request: ApiRequest): Promise<KubeObject> {
  const body = await request.body();
  if (!isKubeObject(body)) {
    if (isRecord(body) && !('metadata' in body)) return { ...body, metadata: {} } as KubeObject;
    throw badRequest('the server rejected our request due to an error in our request: Object \'metadata\' is missing');
  }
  const { type } = request.route;
  if (body.kind !== undefined && body.kind !== type.kind) {
    throw badRequest(`the server rejected our request due to an error in our request: ${String(body.kind)} in version "${request.route.version}" cannot be handled as a ${type.kind}: no kind "${String(body.kind)}" is registered for version "${apiVersionOf(type.group, request.route.version)}"`);
  }
  return toStorage(type, request.route.version, deepClone(body));
}

function checkNamespace(request: ApiRequest, object: KubeObject): void {
  const { route, context } = request;
  if (!route.type.namespaced) {
    delete object.metadata.namespace;
    return;
  }
  if (object.metadata.namespace && object.metadata.namespace !== route.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  object.metadata.namespace = route.namespace;
  const namespace = context.store.get('namespaces', '', route.namespace);
  if (!namespace) throw notFound('', 'namespaces', route.namespace);
  if (namespace.metadata.deletionTimestamp) {
    throw new ApiError(403, 'Forbidden', `${route.type.plural} "${object.metadata.name ?? ''}" is forbidden: unable to create new content in namespace ${route.namespace} because it is being terminated`);
  }
}

async function create(request: ApiRequest): Promise<void> {
  const { route, context } = request;
  const dryRun = isDryRun(request);
  const object = await readObject(request);
  checkNamespace(request, object);
  const meta = object.metadata;
  if (!meta.name && meta.generateName) {
    const prefix = meta.generateName;
    meta.name = generatedName(prefix, (name) => context.store.get(typeKey(route.type), meta.namespace ?? '', name) !== undefined, route.type);
  }
  for (const field of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'generation', 'managedFields', 'selfLink']) delete meta[field];
  admit(route.type, object, true);
  if (dryRun) {
    const existing = context.store.get(typeKey(route.type), meta.namespace ?? '', meta.name ?? '');
    if (existing) throw new ApiError(409, 'AlreadyExists', `${route.type.group ? `${route.type.plural}.${route.type.group}` : route.type.plural} "${meta.name ?? ''}" already exists`);
    // As the real registry fills them before storage would: a fresh uid, no resourceVersion.
    meta.uid = randomUUID();
    meta.creationTimestamp = timestamp();
    if ('spec' in object) meta.generation = 1;
    respondObject(request, 201, object);
    return;
  }
  respondObject(request, 201, context.store.create(typeKey(route.type), object));
}

function hasStatusSubresource(request: ApiRequest): boolean {
  return request.route.type.subresources.some((sub) => sub.name === 'status');
}

/** Write an updated object honouring main-resource vs status-subresource semantics. */
export function writeUpdate(request: ApiRequest, updated: KubeObject, current: KubeObject, expectedVersion: string | undefined): KubeObject {
  const { route, context } = request;
  const key = typeKey(route.type);
  let object = updated;
  if (object.metadata.name && object.metadata.name !== current.metadata.name) {
    throw badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${current.metadata.name ?? ''})`);
  }
  if (route.subresource === 'status') {
    object = { ...deepClone(current), status: object.status };
  } else {
    if (hasStatusSubresource(request)) object.status = deepClone(current.status);
    object.metadata = {
      ...object.metadata,
      name: current.metadata.name,
      namespace: current.metadata.namespace,
      ...(current.metadata.deletionTimestamp ? { deletionTimestamp: current.metadata.deletionTimestamp, deletionGracePeriodSeconds: current.metadata.deletionGracePeriodSeconds } : {}),
    };
    if (route.type.kind === 'Pod') validatePodUpdate(object as Pod, current as Pod);
    validateRoleRefUnchanged(route.type.kind, route.type.group, object, current);
    if (route.type.kind !== 'Namespace') admit(route.type, object, false);
  }
  object.metadata.resourceVersion = current.metadata.resourceVersion;
  if (isDryRun(request)) {
    // The answer is the object as the update would store it (generation bumped by a spec
    // change), with the resourceVersion it has now: nothing was written.
    object.metadata.uid = current.metadata.uid;
    object.metadata.creationTimestamp = current.metadata.creationTimestamp;
    if ('spec' in object) {
      const generation = current.metadata.generation ?? 1;
      object.metadata.generation = JSON.stringify(object.spec) === JSON.stringify(current.spec) ? generation : generation + 1;
    }
    return object;
  }
  return context.store.update(key, object, { expectedVersion });
}

async function update(request: ApiRequest): Promise<void> {
  const { route, context } = request;
  isDryRun(request); // an unsupported dryRun value is refused before anything else
  const current = context.store.require(typeKey(route.type), route.namespace, route.name);
  const object = await readObject(request);
  if (route.type.namespaced && object.metadata.namespace && object.metadata.namespace !== route.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  respondObject(request, 200, writeUpdate(request, object, current, object.metadata.resourceVersion));
}

async function patch(request: ApiRequest): Promise<void> {
  const { route, context } = request;
  isDryRun(request); // an unsupported dryRun value is refused before anything else
  const patchType = patchTypeOf(request.contentType);
  if (!patchType) throw unsupportedMediaType(request.contentType);
  const current = context.store.require(typeKey(route.type), route.namespace, route.name);
  const body = await request.body();
  const base = deepClone(output(request, current));
  const patched = applyPatch(patchType, base, body);
  if (!isKubeObject(patched)) throw new ApiError(422, 'Invalid', `${route.type.kind} "${route.name}" is invalid: metadata: Required value`);
  const storage = toStorage(route.type, route.version, patched);
  const patchedVersion = patched.metadata.resourceVersion;
  const expected = patchedVersion && patchedVersion !== current.metadata.resourceVersion ? patchedVersion : undefined;
  respondObject(request, 200, writeUpdate(request, storage, current, expected));
}

async function deleteOptions(request: ApiRequest): Promise<DeleteOptions> {
  const body = await request.body();
  const options: DeleteOptions = {};
  if (isDryRun(request, body)) options.dryRun = true;
  if (isRecord(body)) {
    if (typeof body.gracePeriodSeconds === 'number') options.gracePeriodSeconds = body.gracePeriodSeconds;
    if (typeof body.propagationPolicy === 'string') options.propagationPolicy = body.propagationPolicy;
    if (isRecord(body.preconditions)) options.preconditions = body.preconditions as DeleteOptions['preconditions'];
  }
  const grace = queryInt(request.query, 'gracePeriodSeconds');
  if (grace !== undefined) options.gracePeriodSeconds = grace;
  const policy = request.query.get('propagationPolicy');
  if (policy) options.propagationPolicy = policy;
  return options;
}

async function remove(request: ApiRequest): Promise<void> {
  const { route, context } = request;
  const options = await deleteOptions(request);
  const result = deleteObject(context, typeKey(route.type), route.namespace, route.name, options);
  respondObject(request, 200, result.object);
}

async function removeCollection(request: ApiRequest): Promise<void> {
  const { route, context } = request;
  const options = await deleteOptions(request);
  const key = typeKey(route.type);
  const matches = objectMatcher(request.query);
  const deleted: KubeObject[] = [];
  for (const object of [...context.store.list(key, route.type.namespaced ? route.namespace || undefined : undefined)]) {
    if (!matches(object)) continue;
    deleted.push(deleteObject(context, key, object.metadata.namespace ?? '', object.metadata.name ?? '', options).object);
  }
  sendJson(request.response, 200, listJson(route.type.kind, apiVersionOf(route.type.group, route.version), { items: deleted, metadata: { resourceVersion: String(context.store.resourceVersion) } }));
}

function get(request: ApiRequest): void {
  const { route, context } = request;
  respondObject(request, 200, context.store.require(typeKey(route.type), route.namespace, route.name));
}

function list(request: ApiRequest): void {
  const { route, context, query } = request;
  const result = listObjects(context, route.type, route.namespace, query);
  if (wantsTable(request.accept)) {
    const converted = result.items.map((object) => output(request, object));
    sendJson(request.response, 200, buildTable(typeKey(route.type), converted, result.metadata, includeObject(query)), 'application/json;as=Table;v=v1;g=meta.k8s.io');
    return;
  }
  const convert = needsConversion(route.type, route.version) ? (object: KubeObject) => output(request, object) : undefined;
  sendJson(request.response, 200, listJson(route.type.kind, apiVersionOf(route.type.group, route.version), result, convert));
}

export async function handleCrud(request: ApiRequest): Promise<void> {
  switch (request.verb) {
    case 'get':
      return get(request);
    case 'list':
      return list(request);
    case 'watch':
      return serveWatch(request);
    case 'create':
      return create(request);
    case 'update':
      return update(request);
    case 'patch':
      return patch(request);
    case 'delete':
      return remove(request);
    case 'deletecollection':
      return removeCollection(request);
  }
  throw methodNotAllowed();
}
