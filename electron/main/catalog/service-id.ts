import type { ServiceTarget } from '../../../shared/contract/catalog.ts';
import { AppError } from '../../../shared/errors.ts';

/**
 * A service's id is `<environmentId>:<kind>:<key>`, built from what it points at, so the same
 * Deployment or Compose project keeps its id (and its favourite star) across restarts and
 * rediscovery. Environment ids never contain `:`; the key may.
 */
export type ServiceKind = 'deployment' | 'compose' | 'container' | 'manual';

export interface ParsedServiceId {
  readonly environmentId: string;
  readonly kind: ServiceKind;
  readonly key: string;
}

const kinds: readonly ServiceKind[] = ['deployment', 'compose', 'container', 'manual'];

export function serviceId(environmentId: string, kind: ServiceKind, key: string): string {
  return `${environmentId}:${kind}:${key}`;
}

export function parseServiceId(id: string): ParsedServiceId {
  const first = id.indexOf(':');
  const second = id.indexOf(':', first + 1);
  const kind = id.slice(first + 1, second) as ServiceKind;
  if (first <= 0 || second < 0 || second === id.length - 1 || !kinds.includes(kind)) {
    throw new AppError('INVALID_INPUT', `"${id}" is not a service id the app gave out.`);
  }
  return { environmentId: id.slice(0, first), kind, key: id.slice(second + 1) };
}

/** The id a discovered service with this target gets; a hand-registered twin hides it. */
export function discoveredIdOf(environmentId: string, target: ServiceTarget): string | null {
  if (target.kind === 'deployment') return serviceId(environmentId, 'deployment', `${target.namespace}/${target.deployment}`);
  if (target.kind === 'compose') return serviceId(environmentId, 'compose', target.project);
  return target.containerNames.length === 1 ? serviceId(environmentId, 'container', target.containerNames[0] ?? '') : null;
}
