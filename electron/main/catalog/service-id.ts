import type { ServiceTarget } from '../../../shared/contract/catalog.ts';
import { parseServiceIdText, type ParsedServiceId } from '../../../shared/contract/names.ts';
import { AppError, type MessageText } from '../../../shared/errors.ts';

/**
 * A service's id is `<environmentId>:<kind>:<key>`, built from what it points at, so the same
 * Deployment or Compose project keeps its id (and its favourite star) across restarts and
 * rediscovery. Environment ids never contain `:`; the key may.
 */
export type ServiceKind = 'deployment' | 'compose' | 'container' | 'manual';

export type { ParsedServiceId };

export function serviceId(environmentId: string, kind: ServiceKind, key: string): string {
  return `${environmentId}:${kind}:${key}`;
}

/**
 * The id's parts as validated Kubernetes or engine names; anything else (`env:deployment:../..`)
 * is refused here, never passed on as an empty or odd namespace that could widen a request.
 */
export function parseServiceId(id: string): ParsedServiceId {
  const parsed = parseServiceIdText(id);
  if (!parsed.ok) throw new AppError('INVALID_INPUT', `"${id.slice(0, 120)}" is not a service id the app gave out: it ${parsed.reason}.`, undefined, serviceIdText(id.slice(0, 120), parsed.reason));
  return parsed.value;
}

/** The id a discovered service with this target gets; a hand-registered twin hides it. */
export function discoveredIdOf(environmentId: string, target: ServiceTarget): string | null {
  if (target.kind === 'deployment') return serviceId(environmentId, 'deployment', `${target.namespace}/${target.deployment}`);
  if (target.kind === 'compose') return serviceId(environmentId, 'compose', target.project);
  return target.containerNames.length === 1 ? serviceId(environmentId, 'container', target.containerNames[0] ?? '') : null;
}

/** The reasons `parseServiceIdText` gives, each with its own `environments.catalog.serviceId.*` sentence. */
const reasonKeys: Readonly<Record<string, string>> = {
  'is not of the form environment:kind:name': 'form',
  'does not start with an environment id the app gave out': 'environment',
  'does not name a Deployment as namespace/name with valid Kubernetes names': 'deployment',
  'does not name a valid Compose project': 'compose',
  'does not name a valid container': 'container',
  'does not name a registered service': 'registered',
};

function serviceIdText(id: string, reason: string): MessageText {
  const unknownKind = /^has an unknown kind "(.*)"$/.exec(reason);
  if (unknownKind) return { key: 'environments.catalog.serviceId.kind', params: { id, kind: unknownKind[1] ?? '' } };
  const known = reasonKeys[reason];
  return known === undefined ? { key: 'environments.catalog.serviceId.other', params: { id, detail: reason } } : { key: `environments.catalog.serviceId.${known}`, params: { id } };
}
