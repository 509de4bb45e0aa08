// Request parsing and response writing shared by the API handlers.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest } from './status.ts';
import { findType, type ResourceType } from './resources.ts';
import { decodeProtobufObject, isProtobufBody } from './protobuf.ts';

export interface ResourceRoute {
  kind: 'resource';
  group: string;
  version: string;
  type: ResourceType;
  namespace: string;
  name: string;
  subresource: string;
}

export type Route =
  | ResourceRoute
  | { kind: 'discovery'; path: 'api' | 'apis' | 'group' | 'groupVersion'; group: string; version: string }
  | { kind: 'other'; path: string };

/**
 * Map a path to what it names. Namespaces are a cluster-scoped resource whose objects also
 * prefix namespaced paths, so /api/v1/namespaces/x/status is a subresource but
 * /api/v1/namespaces/x/pods is a collection.
 */
export function parseRoute(pathname: string, optionalEnabled: (flag: 'metrics') => boolean): Route | undefined {
  const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (segments[0] === 'api') {
    if (segments.length === 1) return { kind: 'discovery', path: 'api', group: '', version: '' };
    return resourceRoute('', segments[1] ?? '', segments.slice(2), optionalEnabled);
  }
  if (segments[0] === 'apis') {
    if (segments.length === 1) return { kind: 'discovery', path: 'apis', group: '', version: '' };
    if (segments.length === 2) return { kind: 'discovery', path: 'group', group: segments[1] ?? '', version: '' };
    return resourceRoute(segments[1] ?? '', segments[2] ?? '', segments.slice(3), optionalEnabled);
  }
  return { kind: 'other', path: pathname };
}

function usable(type: ResourceType | undefined, optionalEnabled: (flag: 'metrics') => boolean): ResourceType | undefined {
  if (!type) return undefined;
  if (type.optional && !optionalEnabled(type.optional)) return undefined;
  return type;
}

function lookup(group: string, version: string, plural: string, optionalEnabled: (flag: 'metrics') => boolean): ResourceType | undefined {
  const matches = [findType(group, version, plural)].filter((type) => usable(type, optionalEnabled));
  return matches[0];
}

function resourceRoute(group: string, version: string, rest: string[], optionalEnabled: (flag: 'metrics') => boolean): Route | undefined {
  if (rest.length === 0) return { kind: 'discovery', path: 'groupVersion', group, version };
  if (group === 'metrics.k8s.io' && !optionalEnabled('metrics')) return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const namespace = rest[1] ?? '';
    const plural = rest[2] ?? '';
    const nested = lookup(group, version, plural, optionalEnabled);
    if (nested?.namespaced) {
      return { kind: 'resource', group, version, type: nested, namespace, name: rest[3] ?? '', subresource: rest[4] ?? '' };
    }
    if (group === '' && rest.length === 3) {
      const namespaces = lookup('', version, 'namespaces', optionalEnabled);
      if (namespaces) return { kind: 'resource', group, version, type: namespaces, namespace: '', name: namespace, subresource: plural };
    }
    return undefined;
  }
  const type = lookup(group, version, rest[0] ?? '', optionalEnabled);
  if (!type) return undefined;
  return { kind: 'resource', group, version, type, namespace: '', name: rest[1] ?? '', subresource: rest[2] ?? '' };
}

export async function readBody(request: IncomingMessage, limit = 32 * 2 ** 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function parseBody(body: Buffer): unknown {
  if (isProtobufBody(body)) {
    try {
      return decodeProtobufObject(body);
    } catch (error) {
      throw new ApiError(415, 'UnsupportedMediaType', (error as Error).message);
    }
  }
  const text = body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`the server rejected our request due to an error in our request: ${(error as Error).message}`);
  }
}

export function sendJson(response: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  response.end(text);
}

export function sendError(response: ServerResponse, error: unknown): void {
  const apiError = error instanceof ApiError ? error : new ApiError(500, 'InternalError', `Internal error occurred: ${(error as Error)?.message ?? String(error)}`);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendJson(response, apiError.code, apiError.toStatus());
}

/** Whether the Accept header asks for a meta.k8s.io Table (kubectl get does). */
export function wantsTable(accept: string): boolean {
  const first = accept.split(',')[0] ?? '';
  return first.replace(/\s/g, '').includes('as=Table') && first.includes('g=meta.k8s.io');
}

export function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const type = part.split(';')[0]?.trim() ?? '';
    return type === 'application/json' || type === '*/*' || type === 'application/*' || type === 'application/yaml' || type === '';
  });
}

export function queryFlag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value === 'true' || value === '1';
}

export function queryInt(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  const number = Number(value);
  if (!Number.isInteger(number)) throw badRequest(`invalid value for ${name}: ${value}`);
  return number;
}
