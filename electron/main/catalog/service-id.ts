import type { ServiceTarget } from '../../../shared/contract/catalog.ts';
import { parseServiceIdText, type ParsedServiceId } from '../../../shared/contract/names.ts';
import { AppError } from '../../../shared/errors.ts';

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
  if (!parsed.ok) throw new AppError('INVALID_INPUT', `"${id.slice(0, 120)}" is not a service id the app gave out: it ${parsed.reason}.`);
  return parsed.value;
}

/** The id a discovered service with this target gets; a hand-registered twin hides it. */
export function discoveredIdOf(environmentId: string, target: ServiceTarget): string | null {
  if (target.kind === 'deployment') return serviceId(environmentId, 'deployment', `${target.namespace}/${target.deployment}`);
  if (target.kind === 'compose') return serviceId(environmentId, 'compose', target.project);
  return target.containerNames.length === 1 ? serviceId(environmentId, 'container', target.containerNames[0] ?? '') : null;
}
