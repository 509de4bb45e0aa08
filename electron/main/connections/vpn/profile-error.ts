import { AppError } from '../../../../shared/errors.ts';
import type { TooBroadRoutes } from './route-coverage.ts';

export type ProfileKind = 'OpenVPN' | 'WireGuard';

/**
 * A refused VPN profile: VPN_PROFILE_INVALID naming the line when there is one, keyed as
 * `connections.vpn.openvpn.<name>` or `connections.vpn.wireguard.<name>` (the English of a key
 * used with a line starts "Line {line} of the … profile: ").
 */
export function profileError(kind: ProfileKind, message: string, name: string, params: Record<string, string | number> = {}, line?: number): AppError {
  const key = `connections.vpn.${kind === 'OpenVPN' ? 'openvpn' : 'wireguard'}.${name}`;
  if (line === undefined) return new AppError('VPN_PROFILE_INVALID', message, undefined, { key, params });
  return new AppError('VPN_PROFILE_INVALID', `Line ${line} of the ${kind} profile: ${message}`, { line }, { key, params: { ...params, line } });
}

/** Routes that take over too much of the network, as the profile's error (`prefix` names what set them). */
export function tooBroadError(kind: ProfileKind, prefix: string, tooBroad: TooBroadRoutes): AppError {
  const params = { family: tooBroad.family, max: tooBroad.max, ...(tooBroad.all ? {} : { percent: tooBroad.percent }) };
  return profileError(kind, `${prefix}: ${tooBroad.reason}`, tooBroad.all ? 'routesAll' : 'routesTooBroad', params);
}
