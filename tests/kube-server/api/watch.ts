// Watches as a chunked stream of JSON lines: replay from resourceVersion (410 Expired once
// history is compacted), optional bookmarks, label/field selectors with the ADDED/DELETED
// transitions the apiserver sends when objects enter or leave a selector, and Table events
// for `kubectl get -w`.

import type { KubeObject } from '../model/types.ts';
import type { StoreChange } from '../store.ts';
import { queryFlag, queryInt, wantsTable } from './http.ts';
import { objectJson, objectMatcher } from './list.ts';
import type { ApiRequest } from './request.ts';
import { apiVersionOf, typeKey } from './resources.ts';
import { ApiError } from './status.ts';
import { buildTable } from './tables.ts';
import { output } from './rest.ts';
import { needsConversion } from './conversion.ts';

function objectKey(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

/** How long the apiserver's watch cache waits for a resourceVersion it has not reached yet. */
const TOO_LARGE_WAIT_MS = 3_000;

/**
 * A resourceVersion newer than the store's (a client that watched an earlier server, one
 * restored from an older backup): like kube-apiserver 1.32's watch cache, wait up to 3 s for it,
 * then answer HTTP 504 "Too large resource version" with cause ResourceVersionTooLarge.
 */
function waitForVersion(request: ApiRequest, wanted: number, deadline: number): void {
  const { context, response } = request;
  context.timers.after(100, () => {
    if (response.writableEnded || request.request.destroyed) return;
    const current = context.store.resourceVersion;
    if (wanted <= current) {
      serveWatch(request);
      return;
    }
    if (Date.now() < deadline) {
      waitForVersion(request, wanted, deadline);
      return;
    }
    const error = new ApiError(504, 'Timeout', `Too large resource version: ${wanted}, current: ${current}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    });
    // The watch never starts, so this is the HTTP answer itself, not an ERROR event (unlike 410).
    response.writeHead(504, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    response.end(JSON.stringify(error.toStatus()));
  });
}

export function serveWatch(request: ApiRequest): void {
  const { context, route, query, response } = request;
  const key = typeKey(route.type);
  const namespace = route.type.namespaced ? route.namespace : '';
  const matches = objectMatcher(query);
  const filtered = query.has('labelSelector') || query.has('fieldSelector');
  const asTable = wantsTable(request.accept);
  const convert = needsConversion(route.type, route.version);
  const versionParam = query.get('resourceVersion') ?? '';
  const sendInitial = queryFlag(query, 'sendInitialEvents') || versionParam === '' || versionParam === '0';

  const visible = new Set<string>();
  let headerSent = false;

  const encode = (type: string, object: KubeObject): string => {
    const converted = convert ? output(request, object) : object;
    if (asTable) {
      const table = buildTable(key, [converted], { resourceVersion: object.metadata.resourceVersion ?? '' }, 'Metadata', !headerSent);
      headerSent = true;
      return `{"type":"${type}","object":${JSON.stringify(table)}}\n`;
    }
    return `{"type":"${type}","object":${converted === object ? objectJson(object) : JSON.stringify(converted)}}\n`;
  };

  const inScope = (object: KubeObject): boolean => !namespace || object.metadata.namespace === namespace;

  const translate = (change: StoreChange): string | undefined => {
    const object = change.object;
    if (!inScope(object)) return undefined;
    if (!filtered) return encode(change.type, object);
    const id = objectKey(object);
    const now = matches(object);
    const before = visible.has(id);
    if (change.type === 'DELETED') {
      visible.delete(id);
      return before || now ? encode('DELETED', object) : undefined;
    }
    if (now) {
      visible.add(id);
      return encode(before ? 'MODIFIED' : 'ADDED', object);
    }
    if (before) {
      visible.delete(id);
      return encode('DELETED', object);
    }
    return undefined;
  };

  let backlog: StoreChange[] = [];
  if (!sendInitial && Number(versionParam) > context.store.resourceVersion) {
    waitForVersion(request, Number(versionParam), Date.now() + TOO_LARGE_WAIT_MS);
    return;
  }
  if (!sendInitial) {
    const since = Number(versionParam);
    try {
      backlog = context.store.changesSince(key, since);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
      response.end(`{"type":"ERROR","object":${JSON.stringify(error.toStatus())}}\n`);
      return;
    }
  }

  response.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  response.flushHeaders();

  // Objects matching a selector right now seed the visibility set, so a later change that
  // takes one out of the selector is reported as DELETED.
  if (filtered) {
    for (const object of context.store.list(key, namespace || undefined)) if (matches(object)) visible.add(objectKey(object));
  }

  let lastVersion = context.store.resourceVersion;
  if (sendInitial) {
    const chunks: string[] = [];
    for (const object of context.store.list(key, namespace || undefined)) if (matches(object)) chunks.push(encode('ADDED', object));
    if (chunks.length > 0) response.write(chunks.join(''));
    if (queryFlag(query, 'sendInitialEvents') && queryFlag(query, 'allowWatchBookmarks')) {
      response.write(bookmark(String(lastVersion), true));
    }
  } else {
    const chunks = backlog.map(translate).filter((chunk): chunk is string => chunk !== undefined);
    if (chunks.length > 0) response.write(chunks.join(''));
  }

  function bookmark(version: string, initialEnd = false): string {
    const metadata = initialEnd ? { resourceVersion: version, annotations: { 'k8s.io/initial-events-end': 'true' } } : { resourceVersion: version };
    return `${JSON.stringify({ type: 'BOOKMARK', object: { kind: route.type.kind, apiVersion: apiVersionOf(route.type.group, route.version), metadata } })}\n`;
  }

  const unsubscribe = context.store.subscribe((change) => {
    if (change.typeKey !== key) return;
    lastVersion = change.resourceVersion;
    const chunk = translate(change);
    if (chunk) response.write(chunk);
  });

  const bookmarks = queryFlag(query, 'allowWatchBookmarks') ? context.timers.every(context.timings.bookmarkIntervalMs, () => response.write(bookmark(String(lastVersion)))) : undefined;
  const timeoutSeconds = queryInt(query, 'timeoutSeconds');
  const timeout = timeoutSeconds !== undefined && timeoutSeconds > 0 ? context.timers.after(timeoutSeconds * 1000, () => watch.end()) : undefined;

  const watch = {
    end(): void {
      unsubscribe();
      context.timers.cancel(bookmarks);
      context.timers.cancel(timeout);
      context.watches.delete(watch);
      if (!response.writableEnded) response.end();
    },
  };
  context.watches.add(watch);
  request.request.on('close', () => watch.end());
  response.on('close', () => watch.end());
}
