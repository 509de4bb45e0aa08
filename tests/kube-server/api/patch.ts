// The three patch types kubectl and client libraries send: JSON merge patch (RFC 7386), JSON
// patch (RFC 6902) and Kubernetes strategic merge patch, where some lists are merged by key.

import { badRequest, ApiError } from './status.ts';
import { isRecord } from '../model/types.ts';

/** Lists merged element-by-element in strategic merge patch, by the key Kubernetes declares. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  hostAliases: 'ip',
  ownerReferences: 'uid',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
};
/** Lists of scalars that strategic merge patch unions instead of replacing. */
const MERGED_SCALAR_LISTS = new Set(['finalizers']);

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  const result: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function mergeKeyFor(field: string, items: unknown[]): string | undefined {
  if (field === 'ports') {
    const sample = items.find(isRecord);
    if (sample && 'containerPort' in sample) return 'containerPort';
    if (sample && 'port' in sample) return 'port';
    return undefined;
  }
  return MERGE_KEYS[field];
}

function strategicList(field: string, original: unknown, patch: unknown[]): unknown[] {
  const current = Array.isArray(original) ? original : [];
  if (MERGED_SCALAR_LISTS.has(field)) {
    const result = [...current];
    for (const item of patch) if (!result.includes(item)) result.push(item);
    return result;
  }
  const key = mergeKeyFor(field, [...patch, ...current]);
  if (!key) {
    const replace = patch.find((item) => isRecord(item) && item.$patch === 'replace');
    return replace ? patch.filter((item) => item !== replace) : patch;
  }
  if (patch.some((item) => isRecord(item) && item.$patch === 'replace')) {
    return patch.filter((item) => !(isRecord(item) && item.$patch === 'replace'));
  }
  const result = [...current];
  for (const item of patch) {
    if (!isRecord(item)) continue;
    const index = result.findIndex((existing) => isRecord(existing) && existing[key] === item[key]);
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) result[index] = strategicMergePatch(result[index], item);
    else result.push(strategicMergePatch({}, item));
  }
  return result;
}

export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  if (patch.$patch === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    return rest;
  }
  if (patch.$patch === 'delete') return undefined;
  let result: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  const retainKeys = patch.$retainKeys;
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const existing = result[field];
      if (Array.isArray(existing) && Array.isArray(value)) result[field] = existing.filter((item) => !value.includes(item));
      continue;
    }
    if (value === null) delete result[key];
    else if (Array.isArray(value)) result[key] = strategicList(key, result[key], value);
    else if (isRecord(value)) {
      const merged = strategicMergePatch(result[key], value);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else result[key] = value;
  }
  if (Array.isArray(retainKeys)) {
    result = Object.fromEntries(Object.entries(result).filter(([key]) => retainKeys.includes(key)));
  }
  return result;
}

interface JsonPatchOperation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`the server rejected our request due to an error in our request: invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function parentOf(document: unknown, segments: string[], path: string): { parent: Record<string, unknown> | unknown[]; last: string } {
  let current: unknown = document;
  for (const segment of segments.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isRecord(current)) current = current[segment];
    else current = undefined;
    if (current === undefined) throw new ApiError(422, 'Invalid', `doc is missing path: "${path}": missing value`);
  }
  if (!Array.isArray(current) && !isRecord(current)) throw new ApiError(422, 'Invalid', `doc is missing path: "${path}": missing value`);
  return { parent: current, last: segments[segments.length - 1] ?? '' };
}

function getAt(document: unknown, path: string): unknown {
  let current: unknown = document;
  for (const segment of pointer(path)) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isRecord(current)) current = current[segment];
    else return undefined;
  }
  return current;
}

function removeAt(document: unknown, path: string): unknown {
  const { parent, last } = parentOf(document, pointer(path), path);
  if (Array.isArray(parent)) return parent.splice(Number(last), 1)[0];
  if (!(last in parent)) throw new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: remove operation does not apply: doc is missing path: "${path}"`);
  const value = parent[last];
  delete parent[last];
  return value;
}

function addAt(document: unknown, path: string, value: unknown, replace: boolean): unknown {
  const segments = pointer(path);
  if (segments.length === 0) return structuredClone(value);
  const { parent, last } = parentOf(document, segments, path);
  if (Array.isArray(parent)) {
    if (last === '-') parent.push(structuredClone(value));
    else if (replace) parent[Number(last)] = structuredClone(value);
    else parent.splice(Number(last), 0, structuredClone(value));
  } else {
    if (replace && !(last in parent)) throw new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: replace operation does not apply: doc is missing key: ${path}: missing value`);
    parent[last] = structuredClone(value);
  }
  return document;
}

export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let document = structuredClone(target);
  for (const raw of operations) {
    if (!isRecord(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') throw badRequest('invalid JSON patch operation');
    const operation = raw as unknown as JsonPatchOperation;
    switch (operation.op) {
      case 'add':
        document = addAt(document, operation.path, operation.value, false);
        break;
      case 'replace':
        document = addAt(document, operation.path, operation.value, true);
        break;
      case 'remove':
        removeAt(document, operation.path);
        break;
      case 'move': {
        const value = removeAt(document, operation.from ?? '');
        document = addAt(document, operation.path, value, false);
        break;
      }
      case 'copy':
        document = addAt(document, operation.path, getAt(document, operation.from ?? ''), false);
        break;
      case 'test':
        if (JSON.stringify(getAt(document, operation.path)) !== JSON.stringify(operation.value)) {
          throw new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: testing value ${operation.path} failed: test failed`);
        }
        break;
      default:
        throw badRequest(`Unexpected kind: ${operation.op}`);
    }
  }
  return document;
}

export type PatchType = 'json' | 'merge' | 'strategic';

export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim();
  if (type === 'application/json-patch+json') return 'json';
  if (type === 'application/merge-patch+json') return 'merge';
  if (type === 'application/strategic-merge-patch+json') return 'strategic';
  return undefined;
}

export function applyPatch(type: PatchType, target: unknown, patch: unknown): unknown {
  if (type === 'json') return jsonPatch(target, patch);
  if (type === 'merge') return mergePatch(target, patch);
  return strategicMergePatch(target, patch);
}
