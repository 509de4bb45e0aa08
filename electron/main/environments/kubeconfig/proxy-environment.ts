import { isIP } from 'node:net';

/**
 * The proxy settings a workstation gives through its environment, read and matched the way
 * client-go (Go's `httpproxy`) does, so the app, kubectl and the user's own tools agree on
 * which API servers go through the proxy.
 */
export interface ProxyEnvironment {
  readonly httpsProxy?: string;
  readonly httpProxy?: string;
  readonly noProxy?: string;
}

/** The proxy variable names kubectl and cloud CLIs read; passed on to child processes. */
export const proxyVariableNames = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'] as const;

/** Upper case first, then lower case; an empty value counts as unset (Go's getEnvAny). */
export function proxyEnvironmentOf(env: Readonly<Record<string, string | undefined>>): ProxyEnvironment {
  const any = (...names: string[]): string | undefined => names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
  const httpsProxy = any('HTTPS_PROXY', 'https_proxy');
  const httpProxy = any('HTTP_PROXY', 'http_proxy');
  const noProxy = any('NO_PROXY', 'no_proxy');
  return { ...(httpsProxy ? { httpsProxy } : {}), ...(httpProxy ? { httpProxy } : {}), ...(noProxy ? { noProxy } : {}) };
}

/** The proxy variables present in env, to hand to a child process unchanged. */
export function proxyVariablesOf(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of proxyVariableNames) {
    const value = env[name];
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}

const defaultPorts: Record<string, string> = { 'http:': '80', 'https:': '443', 'socks5:': '1080', 'socks5h:': '1080' };

/**
 * The proxy URL for a request to `target`, or undefined for a direct connection: HTTPS_PROXY
 * for https, HTTP_PROXY for http; never for localhost or a loopback address; not when NO_PROXY
 * matches (`*`, CIDRs, IPs with optional port, domain suffixes with optional port, `*.` and
 * leading-dot forms). A proxy value without a scheme means http://, as in Go.
 */
export function proxyFor(target: string, proxies: ProxyEnvironment): string | undefined {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return undefined;
  }
  const proxy = url.protocol === 'https:' ? proxies.httpsProxy : url.protocol === 'http:' ? proxies.httpProxy : undefined;
  if (proxy === undefined || proxy.trim() === '') return undefined;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const port = url.port === '' ? (defaultPorts[url.protocol] ?? '') : url.port;
  if (!useProxy(host, port, proxies.noProxy ?? '')) return undefined;
  return withScheme(proxy.trim());
}

function withScheme(proxy: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

function useProxy(host: string, port: string, noProxy: string): boolean {
  if (host === 'localhost') return false;
  const ip = isIP(host) === 0 ? undefined : host;
  if (ip !== undefined && isLoopback(ip)) return false;
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return false;
    if (entry.includes('/')) {
      if (ip !== undefined && inCidr(ip, entry)) return false;
      continue;
    }
    const { host: entryHost, port: entryPort } = splitHostPort(entry);
    if (entryHost === '') continue;
    if (isIP(entryHost) !== 0) {
      if (ip !== undefined && sameIp(ip, entryHost) && (entryPort === '' || entryPort === port)) return false;
      continue;
    }
    let suffix = entryHost.startsWith('*.') ? entryHost.slice(1) : entryHost;
    const matchHost = !suffix.startsWith('.');
    if (matchHost) suffix = `.${suffix}`;
    if ((host.endsWith(suffix) || (matchHost && host === suffix.slice(1))) && (entryPort === '' || entryPort === port)) return false;
  }
  return true;
}

/** `host:port`, `[v6]:port`, or a bare host (a bare IPv6 address has no port). */
function splitHostPort(entry: string): { host: string; port: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1] ?? '', port: bracketed[2] ?? '' };
  if (isIP(entry) === 6) return { host: entry, port: '' };
  const withPort = /^(.*):(\d+)$/.exec(entry);
  if (withPort && !(withPort[1] ?? '').includes(':')) return { host: withPort[1] ?? '', port: withPort[2] ?? '' };
  return { host: entry, port: '' };
}

function isLoopback(ip: string): boolean {
  const bytes = ipBytes(ip);
  if (bytes === undefined) return false;
  if (bytes.length === 4) return bytes[0] === 127;
  const v4 = mappedV4(bytes);
  if (v4) return v4[0] === 127;
  return bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1;
}

function sameIp(a: string, b: string): boolean {
  const x = normalized(a);
  const y = normalized(b);
  return x !== undefined && y !== undefined && x.length === y.length && x.every((v, i) => v === y[i]);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base = '', bitsText = ''] = cidr.split('/');
  if (!/^\d+$/.test(bitsText)) return false;
  const net = ipBytes(base);
  const addr = ipBytes(ip);
  if (net === undefined || addr === undefined) return false;
  const bits = Number(bitsText);
  if (bits > net.length * 8) return false;
  // Go compares an IPv4 address with an IPv4 network also when written IPv4-mapped.
  const candidate = addr.length === net.length ? addr : net.length === 4 ? mappedV4(addr) : undefined;
  if (candidate === undefined) return false;
  for (let bit = 0; bit < bits; bit += 1) {
    const mask = 0x80 >> bit % 8;
    if (((candidate[bit >> 3] ?? 0) & mask) !== ((net[bit >> 3] ?? 0) & mask)) return false;
  }
  return true;
}

function normalized(ip: string): number[] | undefined {
  const bytes = ipBytes(ip);
  return bytes && bytes.length === 16 ? (mappedV4(bytes) ?? bytes) : bytes;
}

function mappedV4(bytes: number[]): number[] | undefined {
  if (bytes.length !== 16) return undefined;
  const prefix = bytes.slice(0, 12);
  return prefix.slice(0, 10).every((b) => b === 0) && prefix[10] === 0xff && prefix[11] === 0xff ? bytes.slice(12) : undefined;
}

function ipBytes(ip: string): number[] | undefined {
  const kind = isIP(ip);
  if (kind === 4) return ip.split('.').map(Number);
  if (kind !== 6) return undefined;
  let text = ip;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    tail.push(...(v4[1] ?? '').split('.').map(Number));
    text = `${text.slice(0, -(v4[1] ?? '').length)}0:0`;
  }
  const [head = '', rest] = text.split('::');
  const groups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const fill = rest === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  const words = [...left, ...fill, ...right];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}
