import type { AppError } from '../../../../shared/errors.ts';
import type { OpenVpnDirective } from './openvpn-profile.ts';
import { profileError, tooBroadError } from './profile-error.ts';
import { netmaskLength, parseRoutePrefix, routePrefix, tooBroadRouteShare, type RoutePrefix } from './route-coverage.ts';

/**
 * The address space an OpenVPN client profile routes through its tunnel, judged the same way as
 * WireGuard's AllowedIPs:
 * - `redirect-gateway` (any flags: def1, bypass-dhcp, ipv6, !ipv4…) replaces the default route
 *   and is refused outright; `redirect-private` only adds the routes listed, which are judged.
 * - `route NETWORK [NETMASK]` and `route-ipv6 PREFIX/LEN` are merged per family and refused
 *   when they cover too much (`route 0.0.0.0 128.0.0.0` + `route 128.0.0.0 128.0.0.0` is a
 *   default route).
 * - Pulled routes: a server pushes routes (and `redirect-gateway`) only once the tunnel is up,
 *   too late to judge them. So a profile that pulls options (`client` or `pull`) must say
 *   `route-nopull` and list the networks it needs with `route`/`route-ipv6` lines. That is what an
 *   operator can check before connecting: the profile alone says what the tunnel captures.
 */
function invalid(message: string, name: string, params: Record<string, string | number>, line: number): AppError {
  return profileError('OpenVPN', message, name, params, line);
}

const routeKeywords = new Set(['vpn_gateway', 'net_gateway', 'remote_host']);

function routeOf(directive: OpenVpnDirective): RoutePrefix | null {
  const [network = '', netmask = '255.255.255.255'] = directive.args;
  if (routeKeywords.has(network) || (/^[A-Za-z0-9.-]+$/.test(network) && !/^[\d.]+$/.test(network))) {
    // a host name or keyword resolves to one address: a host route
    return null;
  }
  const length = netmaskLength(netmask === 'default' ? '255.255.255.255' : netmask);
  if (length === null) throw invalid(`"route ${network} ${netmask}": ${netmask} is not a netmask.`, 'notNetmask', { network, netmask }, directive.line);
  const prefix = routePrefix(network, length);
  if (prefix === null) throw invalid(`"route ${network}" is not an IPv4 network.`, 'notIpv4Network', { network }, directive.line);
  return prefix;
}

function routeIpv6Of(directive: OpenVpnDirective): RoutePrefix {
  const prefix = parseRoutePrefix(directive.args[0] ?? '');
  if (prefix === null || prefix.family !== 6) throw invalid(`"route-ipv6 ${directive.args[0] ?? ''}" is not an IPv6 prefix.`, 'notIpv6Prefix', { prefix: directive.args[0] ?? '' }, directive.line);
  return prefix;
}

/** Throws VPN_PROFILE_INVALID when the profile would route the whole network (or a large share). */
export function checkOpenVpnRoutes(directives: readonly OpenVpnDirective[]): void {
  const redirect = directives.find((d) => d.name === 'redirect-gateway');
  if (redirect) {
    const args = redirect.args.length ? ` ${redirect.args.join(' ')}` : '';
    throw invalid(`"redirect-gateway${args}" sends all traffic through the VPN; the app brings up split tunnels only. List the networks the environment needs with "route" lines.`, 'redirectGateway', { args }, redirect.line);
  }
  const pulls = directives.find((d) => d.name === 'client' || d.name === 'pull');
  if (pulls && !directives.some((d) => d.name === 'route-nopull')) {
    throw invalid(`"${pulls.name}" takes the routes the server pushes, which could take over the whole network and cannot be checked before connecting. Add "route-nopull" and list the networks the environment needs with "route" (IPv4) or "route-ipv6" lines.`, 'pullsRoutes', { directive: pulls.name }, pulls.line);
  }
  const prefixes: RoutePrefix[] = [];
  for (const directive of directives) {
    if (directive.name === 'route') {
      const prefix = routeOf(directive);
      if (prefix !== null) prefixes.push(prefix);
    } else if (directive.name === 'route-ipv6') {
      prefixes.push(routeIpv6Of(directive));
    }
  }
  const tooBroad = tooBroadRouteShare(prefixes);
  if (tooBroad !== null) throw tooBroadError('OpenVPN', 'The "route" lines', tooBroad);
}
