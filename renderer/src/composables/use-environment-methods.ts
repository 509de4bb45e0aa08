import type { ConnectionMethod, MethodSelection } from '../../../shared/contract/connections.ts';
import type { EnvironmentView } from '../../../shared/contract/environments.ts';

/** Where an environment's target is, which decides the methods main accepts for it. */
export type EnvironmentPlace = 'kubernetes' | 'local-engine' | 'remote-engine';

export function placeOf(environment: Pick<EnvironmentView, 'kind' | 'engine'>): EnvironmentPlace {
  if (environment.kind === 'kubernetes') return 'kubernetes';
  return environment.engine?.location === 'ssh' ? 'remote-engine' : 'local-engine';
}

/**
 * The methods each place may use, as main checks them (connection-methods.ts): a remote engine
 * socket is only reachable through SSH (straight or inside a VPN), a local one only directly.
 */
export const allowedMethods: Record<EnvironmentPlace, readonly ConnectionMethod[]> = {
  kubernetes: ['direct', 'ssh', 'vpn'],
  'local-engine': ['direct'],
  'remote-engine': ['ssh', 'vpn'],
};

/** i18n keys of the method names, shared by tags, dialogs and forms. */
export const methodKeys = {
  auto: 'connections.method.auto',
  direct: 'connections.method.direct',
  ssh: 'connections.method.ssh',
  vpn: 'connections.method.vpn',
} as const satisfies Record<MethodSelection, string>;

/** Moves one method up or down the Auto priority list; a new array, the input is untouched. */
export function moveMethod(methods: readonly ConnectionMethod[], index: number, step: -1 | 1): ConnectionMethod[] {
  const next = [...methods];
  const target = index + step;
  if (target < 0 || target >= next.length) return next;
  const [moved] = next.splice(index, 1);
  if (moved !== undefined) next.splice(target, 0, moved);
  return next;
}
