// SelfSubjectAccessReview and SelfSubjectRulesReview, answered from the same rules that
// authorise requests, so `kubectl auth can-i` tells the truth.

import { isAllowed, NON_RESOURCE_RULES, rulesInNamespace } from '../rbac.ts';
import { isRecord } from '../model/types.ts';
import { sendJson } from './http.ts';
import type { ApiRequest } from './request.ts';
import { badRequest, methodNotAllowed } from './status.ts';

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export async function handleReview(request: ApiRequest): Promise<void> {
  if (request.verb !== 'create') throw methodNotAllowed();
  const body = await request.body();
  if (!isRecord(body) || !isRecord(body.spec)) throw badRequest('the server rejected our request due to an error in our request: spec is required');
  const spec = body.spec;
  const metadata = { creationTimestamp: null, ...(isRecord(body.metadata) ? body.metadata : {}) };
  const kind = request.route.type.kind;
  if (kind === 'SelfSubjectRulesReview') {
    const namespace = text(spec.namespace);
    const resourceRules = rulesInNamespace(request.user, namespace);
    sendJson(request.response, 201, {
      kind,
      apiVersion: 'authorization.k8s.io/v1',
      metadata,
      spec,
      status: { resourceRules, nonResourceRules: NON_RESOURCE_RULES, incomplete: false },
    });
    return;
  }
  let allowed: boolean;
  if (isRecord(spec.nonResourceAttributes)) {
    const path = text(spec.nonResourceAttributes.path);
    const verb = text(spec.nonResourceAttributes.verb);
    allowed =
      request.user.rules.some((rule) => rule.verbs.includes('*') && rule.resources.includes('*') && rule.namespaces === undefined) ||
      NON_RESOURCE_RULES.some((rule) => rule.verbs.includes(verb) && rule.nonResourceURLs.some((url) => url === path || (url.endsWith('*') && path.startsWith(url.slice(0, -1)))));
  } else {
    const attributes = isRecord(spec.resourceAttributes) ? spec.resourceAttributes : {};
    allowed = isAllowed(request.user, {
      verb: text(attributes.verb),
      group: text(attributes.group),
      resource: text(attributes.resource),
      subresource: text(attributes.subresource),
      namespace: text(attributes.namespace),
      name: text(attributes.name),
    });
  }
  sendJson(request.response, 201, {
    kind,
    apiVersion: 'authorization.k8s.io/v1',
    metadata,
    spec,
    status: allowed ? { allowed: true, reason: `RBAC: allowed by test user "${request.user.name}" rules` } : { allowed: false },
  });
}
