import { describe, expect, it } from 'vitest';
import { parseOpenVpnProfile } from './openvpn-profile.ts';
import { coveredAddresses, netmaskLength, parseRoutePrefix, routedShare, tooBroadRoutes, type RoutePrefix } from './route-coverage.ts';
import { parseWireGuardProfile } from './wireguard-profile.ts';

// The split-tunnel rule judges the address space, so the tests generate the spellings: the
// default route cut into 2…4096 pieces, shuffled, overlapping, for both families and both
// VPN kinds.

/** A deterministic generator (mulberry32) so a failure names a reproducible seed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function formatV4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
}

function formatV6(value: bigint): string {
  return Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');
}

/** Cuts `base/length` into pieces by halving random prefixes until `pieces` prefixes remain. */
function split(family: 4 | 6, base: bigint, length: number, pieces: number, next: () => number): string[] {
  const bits = family === 4 ? 32 : 128;
  let prefixes = [{ network: base, length }];
  while (prefixes.length < pieces) {
    const index = Math.floor(next() * prefixes.length);
    const chosen = prefixes[index]!;
    if (chosen.length >= bits) continue;
    const half = 1n << BigInt(bits - chosen.length - 1);
    prefixes = [...prefixes.slice(0, index), { network: chosen.network, length: chosen.length + 1 }, { network: chosen.network + half, length: chosen.length + 1 }, ...prefixes.slice(index + 1)];
  }
  const format = family === 4 ? formatV4 : formatV6;
  return prefixes.map((prefix) => `${format(prefix.network)}/${prefix.length}`).sort(() => next() - 0.5);
}

const parsed = (texts: readonly string[]): RoutePrefix[] => texts.map((text) => parseRoutePrefix(text)!);

const key1 = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
const key2 = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
const wireguard = (...peers: string[][]): string =>
  [`[Interface]`, `PrivateKey = ${key1}`, 'Address = 10.9.0.2/32', ...peers.flatMap((allowed) => ['[Peer]', `PublicKey = ${key2}`, `AllowedIPs = ${allowed.join(', ')}`])].join('\n');

const pem = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----';
const openvpn = (...lines: string[]): string => ['client', 'route-nopull', 'dev tun', 'remote vpn.example.com 1194', `<ca>\n${pem}\n</ca>`, ...lines].join('\n');

function refusal(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toMatchObject({ code: 'VPN_PROFILE_INVALID' });
    return (error as Error).message;
  }
  throw new Error('the profile was accepted');
}

function v4Route(prefix: string): string {
  const [network = '', length = '32'] = prefix.split('/');
  const mask = (0xffffffffn << BigInt(32 - Number(length))) & 0xffffffffn;
  return `route ${network} ${formatV4(mask)}`;
}

describe('address space a VPN profile routes', () => {
  it('merges overlapping and adjacent prefixes before counting', () => {
    expect(coveredAddresses(parsed(['10.0.0.0/8', '10.1.0.0/16', '11.0.0.0/8']), 4)).toBe(2n * 2n ** 24n);
    expect(coveredAddresses(parsed(['10.0.0.7/8']), 4)).toBe(2n ** 24n);
    expect(routedShare(parsed(['0.0.0.0/1', '128.0.0.0/1']), 4)).toBe(1);
    expect(routedShare(parsed(['::/1', '8000::/1']), 6)).toBe(1);
    expect(routedShare(parsed(['::ffff:0.0.0.0/96']), 6)).toBeLessThan(1e-20);
    expect(netmaskLength('255.255.240.0')).toBe(20);
    expect(netmaskLength('128.0.0.0')).toBe(1);
    expect(netmaskLength('255.0.255.0')).toBeNull();
  });

  it.each([2, 3, 16, 257, 4096])('finds the whole IPv4 and IPv6 space cut into %i shuffled pieces', (pieces) => {
    const next = random(pieces);
    for (const family of [4, 6] as const) {
      const prefixes = split(family, 0n, 0, pieces, next);
      expect(tooBroadRoutes(parsed(prefixes))).toMatch(new RegExp(`cover all of the IPv${family} address space`));
    }
  });

  it('refuses a large share made of small prefixes, and accepts real split tunnels', () => {
    const next = random(7);
    // a /3 (an eighth) cut into 512 pieces, plus repeats of some of them
    const eighth = split(4, 0x20000000n, 3, 512, next);
    expect(tooBroadRoutes(parsed([...eighth, ...eighth.slice(0, 40)]))).toMatch(/cover 12\.5 % of the IPv4 address space/);
    expect(tooBroadRoutes(parsed(split(6, 0x2000n << 112n, 3, 300, next)))).toMatch(/IPv6/);
    expect(tooBroadRoutes(parsed(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7', '2001:db8::/32']))).toBeNull();
    expect(tooBroadRoutes(parsed(split(4, 0x0a000000n, 8, 200, next)))).toBeNull();
  });

  it.each([
    [['0.0.0.0/1', '128.0.0.0/1']],
    [['::/1', '8000::/1']],
    [['0.0.0.0/0']],
    [['::/0']],
    [['0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/2', '192.0.0.0/2']],
  ])('WireGuard refuses AllowedIPs %j, also when split across peers', (allowed) => {
    expect(refusal(() => parseWireGuardProfile(wireguard(allowed)))).toMatch(/AllowedIPs: the routes cover all of the IPv[46] address space/);
    if (allowed.length > 1) {
      expect(refusal(() => parseWireGuardProfile(wireguard(allowed.slice(0, 1), allowed.slice(1))))).toMatch(/cover all of the IPv[46]/);
    }
  });

  it('WireGuard refuses a generated tiling of the default route', () => {
    const next = random(42);
    const pieces = split(4, 0n, 0, 100, next);
    expect(refusal(() => parseWireGuardProfile(wireguard(pieces)))).toMatch(/cover all of the IPv4 address space/);
    expect(parseWireGuardProfile(wireguard(['10.9.0.0/24', 'fd00::/64'])).peers[0]?.allowedIps).toEqual(['10.9.0.0/24', 'fd00::/64']);
  });

  it.each(['redirect-gateway', 'redirect-gateway def1', 'redirect-gateway def1 bypass-dhcp', 'redirect-gateway ipv6 !ipv4', 'REDIRECT-GATEWAY local', '--redirect-gateway autolocal'])(
    'OpenVPN refuses "%s"',
    (line) => {
      expect(refusal(() => parseOpenVpnProfile(openvpn(line)))).toMatch(/"redirect-gateway.*" sends all traffic through the VPN/);
    },
  );

  it('OpenVPN refuses route pairs and generated route tilings, in IPv4 and IPv6, also inside <connection>', () => {
    expect(refusal(() => parseOpenVpnProfile(openvpn('route 0.0.0.0 128.0.0.0', 'route 128.0.0.0 128.0.0.0')))).toMatch(/cover all of the IPv4/);
    expect(refusal(() => parseOpenVpnProfile(openvpn('route-ipv6 ::/1', 'route-ipv6 8000::/1')))).toMatch(/cover all of the IPv6/);
    const next = random(3);
    const routes = split(4, 0n, 0, 64, next).map(v4Route);
    expect(refusal(() => parseOpenVpnProfile(openvpn(...routes)))).toMatch(/cover all of the IPv4/);
    const quarter = split(4, 0x40000000n, 2, 32, next).map(v4Route);
    expect(refusal(() => parseOpenVpnProfile(openvpn(...quarter)))).toMatch(/cover 25\.0 % of the IPv4/);
    expect(refusal(() => parseOpenVpnProfile(openvpn('<connection>\nremote a 1194\nroute 0.0.0.0 0.0.0.0\n</connection>')))).toMatch(/cover all of the IPv4/);
    expect(refusal(() => parseOpenVpnProfile(openvpn('route 10.0.0.0 255.0.255.0')))).toMatch(/is not a netmask/);
  });

  it('OpenVPN refuses pulled routes unless the profile says route-nopull, and accepts stated split routes', () => {
    const pulling = openvpn().replace('route-nopull\n', '');
    expect(refusal(() => parseOpenVpnProfile(pulling))).toMatch(/"client" takes the routes the server pushes.*Add "route-nopull"/);
    expect(refusal(() => parseOpenVpnProfile(pulling.replace('client', 'pull')))).toMatch(/"pull" takes the routes/);
    const split = parseOpenVpnProfile(openvpn('route 10.20.0.0 255.255.0.0', 'route db.internal', 'route-ipv6 fd00:1::/64', 'redirect-private def1'));
    expect(split.directives.filter((d) => d.name.startsWith('route')).map((d) => d.args[0])).toEqual([undefined, '10.20.0.0', 'db.internal', 'fd00:1::/64']);
  });
});
