import { isIP } from 'node:net';
import type { AppError } from '../../../../shared/errors.ts';
import { profileError, tooBroadError } from './profile-error.ts';
import { parseRoutePrefix, tooBroadRouteShare } from './route-coverage.ts';

/**
 * A WireGuard profile in wg-quick's `.conf` format. `wg setconf` understands only the
 * cryptographic part; the rest (Address, MTU, routes for AllowedIPs) the app applies itself with
 * `ip`, which is what wg-quick does, minus its hooks: PreUp/PostUp/PreDown/PostDown run shell
 * commands as root and are refused.
 */
export interface WireGuardPeer {
  readonly publicKey: string;
  readonly presharedKey?: string;
  readonly allowedIps: readonly string[];
  readonly endpoint?: string;
  readonly persistentKeepalive?: number;
}

export interface WireGuardProfile {
  readonly kind: 'wireguard';
  readonly privateKey: string;
  readonly listenPort?: number;
  readonly fwMark?: string;
  /** CIDRs for the interface (`ip address add`). */
  readonly addresses: readonly string[];
  readonly mtu?: number;
  /** `off`: add no routes; a number: put routes in that table; absent/auto: the main table. */
  readonly table?: string;
  /** DNS servers the profile asks for; the app does not change the system resolver (yet). */
  readonly dns: readonly string[];
  readonly peers: readonly WireGuardPeer[];
}

const hookKeys = new Set(['preup', 'postup', 'predown', 'postdown']);
const interfaceKeys = new Set(['privatekey', 'listenport', 'fwmark', 'address', 'dns', 'mtu', 'table', 'saveconfig']);
const peerKeys = new Set(['publickey', 'presharedkey', 'allowedips', 'endpoint', 'persistentkeepalive']);

/** A refused line; `name` and `params` key the message as `connections.vpn.wireguard.<name>`. */
function invalidLine(line: number, message: string, name: string, params: Record<string, string | number> = {}): AppError {
  return profileError('WireGuard', message, name, params, line);
}

function invalid(message: string, name: string, params: Record<string, string | number> = {}): AppError {
  return profileError('WireGuard', message, name, params);
}

const keyPattern = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

function checkKey(value: string, what: string, line: number): string {
  if (!keyPattern.test(value)) throw invalidLine(line, `${what} is not a WireGuard key (44 characters of base64).`, 'notKey', { setting: what });
  return value;
}

/** `10.0.0.1/32`, `fd00::1/128`, or a bare address (whole-host prefix). */
export function parseCidr(value: string): { address: string; prefix: number; family: 4 | 6 } | null {
  const [address, prefixText, ...rest] = value.split('/');
  if (address === undefined || rest.length > 0) return null;
  const family = isIP(address);
  if (family !== 4 && family !== 6) return null;
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { address, prefix, family };
}

function cidrList(value: string, what: string, line: number): string[] {
  const items = value.split(',').map((v) => v.trim()).filter(Boolean);
  for (const item of items) if (parseCidr(item) === null) throw invalidLine(line, `${what} "${item}" is not an IP address or CIDR.`, 'notCidr', { setting: what, value: item });
  return items;
}

function port(value: string, what: 'ListenPort' | 'The endpoint port', line: number): number {
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 65535)) {
    throw invalidLine(line, `${what} "${value}" is not a port number.`, what === 'ListenPort' ? 'notPort' : 'endpointPort', what === 'ListenPort' ? { setting: what, value } : { value });
  }
  return n;
}

function endpoint(value: string, line: number): string {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
  if (!m) throw invalidLine(line, `Endpoint "${value}" must be host:port or [IPv6]:port.`, 'endpointFormat', { value });
  port(m[2] as string, 'The endpoint port', line);
  return value;
}

interface SectionDraft {
  readonly name: 'interface' | 'peer';
  readonly line: number;
  readonly values: Map<string, { value: string; line: number; name: string }[]>;
}

function sections(text: string): SectionDraft[] {
  const result: SectionDraft[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/#.*$/, '').trim();
    if (content === '') return;
    const header = /^\[(\w+)\]$/.exec(content);
    if (header) {
      const name = (header[1] as string).toLowerCase();
      if (name !== 'interface' && name !== 'peer') throw invalidLine(line, `[${header[1]}] is not a WireGuard section (only [Interface] and [Peer]).`, 'notSection', { section: header[1] ?? '' });
      result.push({ name, line, values: new Map() });
      return;
    }
    const pair = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(content);
    if (!pair) throw invalidLine(line, 'expected "Key = Value" or a [Section] header.', 'expectedPair');
    const current = result.at(-1);
    if (current === undefined) throw invalidLine(line, 'a setting comes before any [Interface] or [Peer] section.', 'outsideSection');
    const key = (pair[1] as string).toLowerCase();
    if (hookKeys.has(key)) throw invalidLine(line, `${pair[1]} is not allowed: it runs shell commands as root. Remove it from the profile.`, 'hook', { setting: pair[1] ?? '' });
    const known = current.name === 'interface' ? interfaceKeys : peerKeys;
    if (!known.has(key)) {
      const section = current.name === 'interface' ? 'Interface' : 'Peer';
      throw invalidLine(line, `${pair[1]} is not a known [${section}] setting.`, 'unknownSetting', { setting: pair[1] ?? '', section });
    }
    const list = current.values.get(key) ?? [];
    list.push({ value: (pair[2] as string).trim(), line, name: pair[1] as string });
    current.values.set(key, list);
  });
  return result;
}

function single(section: SectionDraft, key: string): { value: string; line: number } | undefined {
  const list = section.values.get(key);
  const repeated = list?.[1];
  if (repeated !== undefined) throw invalidLine(repeated.line, `${repeated.name} appears more than once in one section.`, 'repeated', { setting: repeated.name });
  return list?.[0];
}

/** Keys that may be repeated (wg-quick joins them). */
function joined(section: SectionDraft, key: string): { value: string; line: number } | undefined {
  const list = section.values.get(key);
  if (!list) return undefined;
  return { value: list.map((v) => v.value).join(','), line: list[0]?.line ?? section.line };
}

function parsePeer(section: SectionDraft): WireGuardPeer {
  const publicKey = single(section, 'publickey');
  if (!publicKey) throw invalidLine(section.line, 'a [Peer] has no PublicKey.', 'peerNoPublicKey');
  const psk = single(section, 'presharedkey');
  const allowed = joined(section, 'allowedips');
  const allowedIps = allowed ? cidrList(allowed.value, 'AllowedIPs', allowed.line) : [];
  const ep = single(section, 'endpoint');
  const keepalive = single(section, 'persistentkeepalive');
  let persistentKeepalive: number | undefined;
  if (keepalive && keepalive.value !== 'off') {
    persistentKeepalive = /^\d{1,5}$/.test(keepalive.value) ? Number(keepalive.value) : NaN;
    if (!(persistentKeepalive >= 0 && persistentKeepalive <= 65535)) throw invalidLine(keepalive.line, `PersistentKeepalive "${keepalive.value}" is not a number of seconds.`, 'keepalive', { value: keepalive.value });
  }
  return {
    publicKey: checkKey(publicKey.value, 'PublicKey', publicKey.line),
    ...(psk ? { presharedKey: checkKey(psk.value, 'PresharedKey', psk.line) } : {}),
    allowedIps,
    ...(ep ? { endpoint: endpoint(ep.value, ep.line) } : {}),
    ...(persistentKeepalive !== undefined ? { persistentKeepalive } : {}),
  };
}

export function parseWireGuardProfile(text: string): WireGuardProfile {
  if (text.length > 256 * 1024) throw invalid('The WireGuard profile is larger than 256 KiB.', 'tooLarge');
  const all = sections(text);
  const interfaces = all.filter((s) => s.name === 'interface');
  if (interfaces.length !== 1) throw invalid(`A WireGuard profile needs exactly one [Interface] section (found ${interfaces.length}).`, 'interfaceCount', { count: interfaces.length });
  const iface = interfaces[0] as SectionDraft;
  const privateKey = single(iface, 'privatekey');
  if (!privateKey) throw invalidLine(iface.line, '[Interface] has no PrivateKey.', 'noPrivateKey');
  const listen = single(iface, 'listenport');
  const fwMark = single(iface, 'fwmark');
  if (fwMark && !/^(off|0x[0-9a-fA-F]{1,8}|\d{1,10})$/.test(fwMark.value)) throw invalidLine(fwMark.line, `FwMark "${fwMark.value}" is not a number.`, 'fwMark', { value: fwMark.value });
  const address = joined(iface, 'address');
  const mtu = single(iface, 'mtu');
  const mtuValue = mtu ? Number(mtu.value) : undefined;
  if (mtu && !(Number.isInteger(mtuValue) && (mtuValue as number) >= 576 && (mtuValue as number) <= 9000)) throw invalidLine(mtu.line, `MTU "${mtu.value}" must be a number from 576 to 9000.`, 'mtu', { value: mtu.value });
  const table = single(iface, 'table');
  if (table && !/^(off|auto|main|\d{1,10})$/.test(table.value)) throw invalidLine(table.line, `Table "${table.value}" must be off, auto, main or a table number.`, 'table', { value: table.value });
  const dns = joined(iface, 'dns');
  const peers = all.filter((s) => s.name === 'peer').map(parsePeer);
  if (peers.length === 0) throw invalid('A WireGuard profile needs at least one [Peer].', 'noPeer');
  // judged over every peer together: two peers can split the default route between them
  const routed = peers.flatMap((peer) => peer.allowedIps.map((cidr) => parseRoutePrefix(cidr)).filter((prefix) => prefix !== null));
  const tooBroad = tooBroadRouteShare(routed);
  if (tooBroad !== null) throw tooBroadError('WireGuard', 'AllowedIPs', tooBroad);
  return {
    kind: 'wireguard',
    privateKey: checkKey(privateKey.value, 'PrivateKey', privateKey.line),
    ...(listen ? { listenPort: port(listen.value, 'ListenPort', listen.line) } : {}),
    ...(fwMark ? { fwMark: fwMark.value } : {}),
    addresses: address ? cidrList(address.value, 'Address', address.line) : [],
    ...(mtuValue !== undefined ? { mtu: mtuValue } : {}),
    ...(table && table.value !== 'auto' ? { table: table.value } : {}),
    dns: dns ? dns.value.split(',').map((d) => d.trim()).filter(Boolean) : [],
    peers,
  };
}

/** What `wg setconf` gets: keys, port, mark and peers only (wg rejects wg-quick's extra keys). */
export function toSetconfText(profile: WireGuardProfile, defaults: { readonly persistentKeepalive?: number } = {}): string {
  const lines = ['[Interface]', `PrivateKey = ${profile.privateKey}`];
  if (profile.listenPort !== undefined) lines.push(`ListenPort = ${profile.listenPort}`);
  if (profile.fwMark !== undefined) lines.push(`FwMark = ${profile.fwMark}`);
  for (const peer of profile.peers) {
    lines.push('', '[Peer]', `PublicKey = ${peer.publicKey}`);
    if (peer.presharedKey !== undefined) lines.push(`PresharedKey = ${peer.presharedKey}`);
    if (peer.allowedIps.length > 0) lines.push(`AllowedIPs = ${peer.allowedIps.join(', ')}`);
    if (peer.endpoint !== undefined) lines.push(`Endpoint = ${peer.endpoint}`);
    const keepalive = peer.persistentKeepalive ?? defaults.persistentKeepalive;
    if (keepalive !== undefined) lines.push(`PersistentKeepalive = ${keepalive}`);
  }
  return `${lines.join('\n')}\n`;
}
