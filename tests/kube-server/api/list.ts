// Lists: label and field selectors, limit/continue paging in key order, and fast
// serialisation (stored objects are immutable, so their JSON is cached per object).

import type { KubeContext } from '../context.ts';
import { parseFieldSelector, parseLabelSelector, matchesFields, matchesRequirements } from '../model/selectors.ts';
import type { KubeObject } from '../model/types.ts';
import { gone, badRequest } from './status.ts';
import { typeKey, type ResourceType } from './resources.ts';

export interface ListResult {
  items: KubeObject[];
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
}

interface ContinueToken {
  rv: number;
  ns: string;
  name: string;
}

function compareKey(aNamespace: string, aName: string, bNamespace: string, bName: string): number {
  if (aNamespace !== bNamespace) return aNamespace < bNamespace ? -1 : 1;
  if (aName === bName) return 0;
  return aName < bName ? -1 : 1;
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'rv' in parsed && 'ns' in parsed && 'name' in parsed) {
      const { rv, ns, name } = parsed as Record<string, unknown>;
      if (typeof rv === 'number' && typeof ns === 'string' && typeof name === 'string') return { rv, ns, name };
    }
  } catch {
    // fall through to the apiserver's message
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

export function objectMatcher(query: URLSearchParams): (object: KubeObject) => boolean {
  const labels = parseLabelSelector(query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(query.get('fieldSelector') ?? '');
  if (labels.length === 0 && fields.length === 0) return () => true;
  return (object) => matchesRequirements(object.metadata.labels, labels) && matchesFields(object, fields);
}

export function listObjects(context: KubeContext, type: ResourceType, namespace: string, query: URLSearchParams): ListResult {
  const store = context.store;
  const all = store.list(typeKey(type), type.namespaced && namespace ? namespace : undefined);
  const matches = objectMatcher(query);
  const limit = Number(query.get('limit') ?? '0') || 0;
  const continueParam = query.get('continue');
  let start = 0;
  let listVersion = store.resourceVersion;
  if (continueParam) {
    const token = decodeContinue(continueParam);
    if (token.rv < store.oldestWatchableVersion) {
      throw gone('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
    }
    listVersion = token.rv;
    let low = 0;
    let high = all.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const object = all[middle];
      if (object && compareKey(object.metadata.namespace ?? '', object.metadata.name ?? '', token.ns, token.name) <= 0) low = middle + 1;
      else high = middle;
    }
    start = low;
  }
  const items: KubeObject[] = [];
  let index = start;
  for (; index < all.length; index++) {
    const object = all[index];
    if (!object || !matches(object)) continue;
    if (limit > 0 && items.length >= limit) break;
    items.push(object);
  }
  const metadata: ListResult['metadata'] = { resourceVersion: String(listVersion) };
  let remaining = 0;
  for (let rest = index; rest < all.length; rest++) {
    const object = all[rest];
    if (object && matches(object)) remaining++;
  }
  const last = items[items.length - 1];
  if (limit > 0 && remaining > 0 && last) {
    metadata.continue = Buffer.from(JSON.stringify({ rv: listVersion, ns: last.metadata.namespace ?? '', name: last.metadata.name ?? '' })).toString('base64url');
    metadata.remainingItemCount = remaining;
  }
  return { items, metadata };
}

const serialized = new WeakMap<object, string>();

/** JSON of a stored object; cached because stored objects never change in place. */
export function objectJson(object: KubeObject): string {
  let text = serialized.get(object);
  if (text === undefined) {
    text = JSON.stringify(object);
    serialized.set(object, text);
  }
  return text;
}

export function listJson(kind: string, apiVersion: string, result: ListResult, convert?: (object: KubeObject) => KubeObject): string {
  const items = result.items.map((object) => (convert ? JSON.stringify(convert(object)) : objectJson(object)));
  return `{"kind":${JSON.stringify(`${kind}List`)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(result.metadata)},"items":[${items.join(',')}]}`;
}
