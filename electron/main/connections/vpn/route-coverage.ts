import { isIP } from 'node:net';

/**
 * How much of the address space a VPN profile would route through the tunnel. The "split
 * tunnels only" rule is about the addresses a profile captures, not how it spells them:
 * `0.0.0.0/1 + 128.0.0.0/1`, `::/1 + 8000::/1` or a few hundred small prefixes that tile the
 * internet take over the default route just as `0.0.0.0/0` does. So prefixes are merged per
 * family and the share they cover is judged.
 */
export interface RoutePrefix {
  readonly family: 4 | 6;
  /** The network address as an integer (host bits cleared). */
  readonly network: bigint;
  readonly length: number;
}

const bitsOf = (family: 4 | 6): number => (family === 4 ? 32 : 128);

/**
 * The largest share of one family's address space a profile may route. An eighth of IPv6 is
 * `2000::/3`, all global unicast: a full tunnel in all but name; a sixteenth of IPv4 is a /4.
 * Real split tunnels (10/8, 172.16/12, 192.168/16, a few public /16s, fc00::/7) stay far below.
 */
export const maxRoutedShare = 1 / 16;

function ipv4ToBigInt(address: string): bigint {
  return address.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6ToBigInt(address: string): bigint {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // an embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const n = ipv4ToBigInt(v4[1]);
    text = `${text.slice(0, -v4[1].length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headParts.length - tailParts.length;
  const parts = tail === undefined ? headParts : [...headParts, ...Array<string>(missing).fill('0'), ...tailParts];
  return parts.reduce((value, part) => (value << 16n) | BigInt(parseInt(part, 16)), 0n);
}

/** A prefix from an address and a length; null when the address is not an IP address. */
export function routePrefix(address: string, length: number): RoutePrefix | null {
  const family = isIP(address.replace(/%.*$/, ''));
  if (family !== 4 && family !== 6) return null;
  const bits = bitsOf(family);
  if (!Number.isInteger(length) || length < 0 || length > bits) return null;
  const value = family === 4 ? ipv4ToBigInt(address) : ipv6ToBigInt(address);
  const hostBits = BigInt(bits - length);
  return { family, network: (value >> hostBits) << hostBits, length };
}

/** `a.b.c.d/n`, `x::/n` or a bare address (a host route). */
export function parseRoutePrefix(text: string): RoutePrefix | null {
  const [address, lengthText, ...rest] = text.trim().split('/');
  if (address === undefined || rest.length > 0) return null;
  const family = isIP(address);
  if (family !== 4 && family !== 6) return null;
  const length = lengthText === undefined ? bitsOf(family) : /^\d{1,3}$/.test(lengthText) ? Number(lengthText) : NaN;
  return routePrefix(address, length);
}

/** The prefix length of a dotted netmask; null when its one-bits are not contiguous. */
export function netmaskLength(mask: string): number | null {
  if (isIP(mask) !== 4) return null;
  const value = ipv4ToBigInt(mask);
  const inverted = ~value & 0xffffffffn;
  // contiguous: the inverted mask is 2^k - 1
  if ((inverted & (inverted + 1n)) !== 0n) return null;
  return 32 - inverted.toString(2).replace(/^0+/, '').length;
}

/** The number of addresses the prefixes cover together, overlaps counted once. */
export function coveredAddresses(prefixes: readonly RoutePrefix[], family: 4 | 6): bigint {
  const bits = bitsOf(family);
  const ranges = prefixes
    .filter((prefix) => prefix.family === family)
    .map((prefix) => ({ start: prefix.network, end: prefix.network + (1n << BigInt(bits - prefix.length)) }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  let total = 0n;
  let current: { start: bigint; end: bigint } | undefined;
  for (const range of ranges) {
    if (current !== undefined && range.start <= current.end) {
      if (range.end > current.end) current.end = range.end;
      continue;
    }
    if (current !== undefined) total += current.end - current.start;
    current = { ...range };
  }
  if (current !== undefined) total += current.end - current.start;
  return total;
}

/** The share (0…1) of one family's address space the prefixes cover. */
export function routedShare(prefixes: readonly RoutePrefix[], family: 4 | 6): number {
  const covered = coveredAddresses(prefixes, family);
  const bits = bitsOf(family);
  // keep 53 significant bits: exact enough for a share
  const shift = BigInt(Math.max(0, bits - 52));
  return Number(covered >> shift) / Number((1n << BigInt(bits)) >> shift);
}

/** Routes judged too broad: the family, the share covered ("12.5 %"), whether it is all of it, and the limit. */
export interface TooBroadRoutes {
  readonly family: 4 | 6;
  readonly percent: string;
  readonly all: boolean;
  readonly max: number;
  /** The English reason, naming the family and the share so the operator sees what was judged. */
  readonly reason: string;
}

/** Why these routes take over too much of the network, or null when they are a split tunnel. */
export function tooBroadRouteShare(prefixes: readonly RoutePrefix[]): TooBroadRoutes | null {
  for (const family of [4, 6] as const) {
    const share = routedShare(prefixes, family);
    if (share >= maxRoutedShare) {
      const all = coveredAddresses(prefixes, family) === 1n << BigInt(bitsOf(family));
      const percent = all ? 'all' : `${(Math.floor(share * 1000) / 10).toFixed(1)} %`;
      const max = maxRoutedShare * 100;
      const reason = `the routes cover ${percent} of the IPv${family} address space${all ? ' (the default route, however it is split)' : ''}; the app brings up split tunnels only (at most ${max} % of either family). List the networks the environment needs.`;
      return { family, percent, all, max, reason };
    }
  }
  return null;
}

/** The English reason of tooBroadRouteShare, or null when the routes are a split tunnel. */
export function tooBroadRoutes(prefixes: readonly RoutePrefix[]): string | null {
  return tooBroadRouteShare(prefixes)?.reason ?? null;
}
