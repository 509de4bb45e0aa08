// Every HTTP request: authenticate (bearer token or client certificate), route, authorise
// against the user's rules, then hand to discovery or the resource handlers.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { auditLogLimit, metricsServerInstalled, type KubeContext } from '../context.ts';
import { verifyIdToken } from '../oidc.ts';
import { isAllowed, type TestUser } from '../rbac.ts';
import { aggregatedDiscovery, aggregatedVersionRequested, apiGroup, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from './discovery.ts';
import { acceptsJson, parseBody, parseRoute, readBody, sendError, sendJson, type ResourceRoute } from './http.ts';
import { handleMetrics } from './metrics-api.ts';
import { openApiGroupVersion, openApiRoot } from './openapi.ts';
import type { ApiRequest } from './request.ts';
import { handleCrud } from './rest.ts';
import { handleReview } from './reviews.ts';
import { ApiError, forbidden, notAcceptable, unauthorized } from './status.ts';
import { handleLog, handleScale } from './subresources.ts';

export function authenticate(context: KubeContext, request: IncomingMessage): TestUser | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const token = match?.[1]?.trim();
    const byToken = context.users.find((user) => user.auth === 'token' && user.token !== undefined && user.token === token);
    if (byToken || !context.oidc || token === undefined) return byToken;
    const name = verifyIdToken(context.oidc, token);
    return name === undefined ? undefined : context.users.find((user) => user.auth === 'oidc' && user.name === name);
  }
  const socket = request.socket as TLSSocket;
  if (socket.authorized) {
    const subject = socket.getPeerCertificate().subject;
    const commonName = Array.isArray(subject?.CN) ? subject.CN[0] : subject?.CN;
    return context.users.find((user) => user.auth === 'certificate' && user.name === commonName);
  }
  return undefined;
}

function verbOf(method: string, route: ResourceRoute, query: URLSearchParams): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (route.name || route.subresource) return 'get';
      return query.get('watch') === 'true' || query.get('watch') === '1' ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return route.name ? 'delete' : 'deletecollection';
  }
  return method.toLowerCase();
}

function discovery(context: KubeContext, request: IncomingMessage, response: ServerResponse, route: { path: string; group: string; version: string }): void {
  const enabled = (flag: 'metrics'): boolean => flag === 'metrics' && metricsServerInstalled(context);
  const accept = request.headers.accept ?? '';
  if (route.path === 'api' || route.path === 'apis') {
    const aggregated = aggregatedVersionRequested(accept);
    if (aggregated) {
      const apiVersion = `apidiscovery.k8s.io/${aggregated}`;
      sendJson(response, 200, aggregatedDiscovery(route.path === 'api', apiVersion, enabled), `application/json;g=apidiscovery.k8s.io;v=${aggregated};as=APIGroupDiscoveryList`);
      return;
    }
    sendJson(response, 200, route.path === 'api' ? apiVersions(context.serverAddress) : apiGroupList(enabled));
    return;
  }
  const body = route.path === 'group' ? apiGroup(route.group, enabled) : apiResourceList(route.group, route.version, enabled);
  if (!body) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  sendJson(response, 200, body);
}

export async function handleRequest(context: KubeContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const url = new URL(request.url ?? '/', 'https://kube.test');
    const method = request.method ?? 'GET';
    if (['/healthz', '/livez', '/readyz'].includes(url.pathname)) {
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    const user = authenticate(context, request);
    if (!user) throw unauthorized();
    if (url.pathname === '/version' || url.pathname === '/version/') {
      sendJson(response, 200, SERVER_VERSION);
      return;
    }
    const enabled = (flag: 'metrics'): boolean => flag === 'metrics' && metricsServerInstalled(context);
    if (url.pathname === '/openapi/v3' || url.pathname === '/openapi/v3/') {
      sendJson(response, 200, openApiRoot(enabled));
      return;
    }
    if (url.pathname.startsWith('/openapi/v3/')) {
      const document = openApiGroupVersion(url.pathname.slice('/openapi/v3/'.length));
      if (!document) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      sendJson(response, 200, document);
      return;
    }
    const route = parseRoute(url.pathname, enabled);
    if (!route || route.kind === 'other') throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (route.kind === 'discovery') return discovery(context, request, response, route);
    if (!acceptsJson(request.headers.accept)) throw notAcceptable();

    const verb = verbOf(method, route, url.searchParams);
    const isNamespaceObject = route.type.plural === 'namespaces' && route.type.group === '';
    const attributes = {
      verb,
      group: route.group,
      resource: route.type.plural,
      subresource: route.subresource,
      namespace: isNamespaceObject ? route.name : route.namespace,
      name: route.name,
    };
    if (!isAllowed(user, attributes)) {
      throw forbidden(user.name, verb, route.group, route.type.plural, route.subresource, route.type.namespaced || isNamespaceObject ? attributes.namespace : '', route.name);
    }
    const connection = context.connections.get(request.socket) ?? 0;
    context.audit.push({ user: user.name, verb, resource: attributes.resource, subresource: attributes.subresource, namespace: attributes.namespace, name: attributes.name, query: url.searchParams.toString(), connection });
    if (context.audit.length > auditLogLimit) context.audit.splice(0, context.audit.length - auditLogLimit);
    let bodyPromise: Promise<unknown> | undefined;
    const apiRequest: ApiRequest = {
      context,
      route,
      query: url.searchParams,
      accept: request.headers.accept ?? 'application/json',
      contentType: request.headers['content-type'] ?? '',
      method,
      verb,
      user,
      request,
      response,
      body: () => (bodyPromise ??= readBody(request).then(parseBody)),
    };
    if (route.type.group === 'authorization.k8s.io') return await handleReview(apiRequest);
    if (route.type.group === 'metrics.k8s.io') return handleMetrics(apiRequest);
    if (route.subresource === 'scale' && route.type.subresources.some((sub) => sub.name === 'scale')) return await handleScale(apiRequest);
    if (route.subresource === 'log' && route.type.kind === 'Pod') return handleLog(apiRequest);
    if (route.subresource && route.subresource !== 'status') throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (route.subresource === 'status' && !route.type.subresources.some((sub) => sub.name === 'status')) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (route.subresource === 'status' && !['get', 'update', 'patch'].includes(verb)) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    await handleCrud(apiRequest);
  } catch (error) {
    sendError(response, error);
  }
}
