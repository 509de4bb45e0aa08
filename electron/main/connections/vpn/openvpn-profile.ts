import type { AppError } from '../../../../shared/errors.ts';
import { checkOpenVpnRoutes } from './openvpn-routes.ts';
import { profileError } from './profile-error.ts';

/**
 * An OpenVPN profile the app is willing to run as root. OpenVPN can run programs (`up`,
 * `tls-verify`, …), load plugins, read and write arbitrary files, and a profile comes from
 * whoever handed it to the user; so the app tokenizes it the way OpenVPN does, refuses the
 * dangerous directives, and hands OpenVPN a re-serialized copy of exactly what it checked (every
 * token quoted), so no difference between this parser and OpenVPN's can smuggle a directive in.
 *
 * The profile lives in the keychain, so it must be self-contained: key material is inline
 * (`<ca>…</ca>`, `<cert>`, `<key>`, `<tls-auth>`, …), never a path.
 */
export interface OpenVpnDirective {
  readonly name: string;
  readonly args: readonly string[];
  readonly line: number;
}

export interface OpenVpnInlineBlock {
  readonly tag: string;
  readonly content: string;
  /** Only for `<connection>`: its directives, checked like the top level. */
  readonly directives?: readonly OpenVpnDirective[];
  readonly line: number;
}

export interface OpenVpnProfile {
  readonly kind: 'openvpn';
  readonly directives: readonly OpenVpnDirective[];
  readonly blocks: readonly OpenVpnInlineBlock[];
  /** `host port proto` for each remote, for display and logs (not secret). */
  readonly remotes: readonly string[];
}

export const maxProfileBytes = 1024 * 1024;

/** Directives that run a program or load code (plugins, OpenSSL engines/providers, PKCS#11 modules) inside OpenVPN. */
const runsCode = new Set([
  'up', 'down', 'route-up', 'route-pre-down', 'ipchange', 'tls-verify', 'auth-user-pass-verify',
  'client-connect', 'client-disconnect', 'client-crresponse', 'learn-address', 'tls-crypt-v2-verify',
  'plugin', 'iproute', 'engine', 'providers', 'pkcs11-providers', 'tls-export-cert',
]);

/** Directives the app sets itself (management, foreground, logging) or that move files around as root. */
const setByApp = new Set([
  'daemon', 'inetd', 'log', 'log-append', 'syslog', 'config', 'cd', 'chroot', 'writepid', 'status', 'status-version',
  'replay-persist', 'tmp-dir', 'machine-readable-output', 'errors-to-stderr',
]);

/** Directives whose argument is a file unless given inline. */
const fileUnlessInline = new Set([
  'ca', 'cert', 'key', 'extra-certs', 'pkcs12', 'dh', 'tls-auth', 'tls-crypt', 'tls-crypt-v2', 'secret',
  'crl-verify', 'auth-user-pass', 'http-proxy-user-pass', 'capath', 'askpass', 'auth-gen-token-secret',
]);

/** Blocks OpenVPN reads inline; `connection` holds directives. */
const inlineTags = new Set([
  'ca', 'cert', 'key', 'extra-certs', 'pkcs12', 'dh', 'tls-auth', 'tls-crypt', 'tls-crypt-v2', 'secret',
  'crl-verify', 'auth-user-pass', 'http-proxy-user-pass', 'peer-fingerprint', 'connection',
]);

/** A refused line; `name` and `params` key the message as `connections.vpn.openvpn.<name>`. */
function invalidLine(line: number, message: string, name: string, params: Record<string, string | number> = {}): AppError {
  return profileError('OpenVPN', message, name, params, line);
}

function invalid(message: string, name: string, params: Record<string, string | number> = {}): AppError {
  return profileError('OpenVPN', message, name, params);
}

/**
 * OpenVPN's parse_line: whitespace-separated, "double" (with \ escapes) and 'single' quotes,
 * # or ; at the start of a token starts a comment. Null when a quote is left open.
 */
export function tokenizeOpenVpnLine(line: string): string[] | null {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i] as string;
    if (quote === null && !inToken && (c === '#' || c === ';')) break;
    if (c === '\\' && quote !== "'") {
      const next = line[i + 1];
      if (next !== undefined) {
        current += next;
        i += 1;
        inToken = true;
        continue;
      }
    }
    if (quote !== null) {
      if (c === quote) quote = null;
      else current += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inToken = true;
    } else if (/\s/.test(c)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += c;
      inToken = true;
    }
  }
  if (quote !== null) return null;
  if (inToken) tokens.push(current);
  return tokens;
}

function checkDirective(directive: OpenVpnDirective, inline: ReadonlySet<string>, inConnection: boolean): void {
  const { name, args, line } = directive;
  if (name.startsWith('management') || name === 'pkcs11-id-management') {
    throw invalidLine(line, `"${name}" is not allowed: the app sets up the management interface itself.`, 'managementDirective', { directive: name });
  }
  if (runsCode.has(name)) {
    throw invalidLine(line, `"${name}" is not allowed: it makes OpenVPN run a program or load a plugin, with root rights.`, 'runsCode', { directive: name });
  }
  if (setByApp.has(name)) throw invalidLine(line, `"${name}" is not allowed: the app decides how OpenVPN runs and logs, and it may not read or write other files.`, 'setByApp', { directive: name });
  if (name === 'script-security') {
    const level = Number(args[0]);
    if (!Number.isInteger(level) || level < 0 || level > 1) {
      throw invalidLine(line, `"script-security ${args[0] ?? ''}" is not allowed: scripts are refused, so only levels 0 and 1 are accepted.`, 'scriptSecurity', { level: args[0] ?? '' });
    }
  }
  if (fileUnlessInline.has(name)) {
    const givenInline = inline.has(name) || args[0] === '[inline]';
    const prompts = (name === 'auth-user-pass' || name === 'askpass') && args.length === 0;
    if (prompts && !givenInline) throw invalidLine(line, `"${name}" without inline credentials would make OpenVPN ask for a password, which the app does not support yet; put them in an <${name}> block.`, 'promptsPassword', { directive: name });
    if (!givenInline) throw invalidLine(line, `"${name} ${args[0] ?? ''}" points at a file; put its content inline as <${name}>…</${name}> so the profile is self-contained.`, 'fileReference', { directive: name, file: args[0] ?? '' });
  }
  if (inConnection && name === 'connection') throw invalidLine(line, '<connection> blocks cannot be nested.', 'nestedConnection');
}

interface Parsed {
  directives: OpenVpnDirective[];
  blocks: OpenVpnInlineBlock[];
}

function parseLines(lines: readonly string[], firstLine: number, inConnection: boolean): Parsed {
  const directives: OpenVpnDirective[] = [];
  const blocks: OpenVpnInlineBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const lineNumber = firstLine + i;
    const raw = lines[i] as string;
    const opening = /^\s*<([A-Za-z0-9_-]+)>\s*$/.exec(raw);
    if (opening) {
      const tag = opening[1] as string;
      if (!inlineTags.has(tag)) throw invalidLine(lineNumber, `<${tag}> is not a block the app accepts inline.`, 'blockNotInline', { tag });
      const end = lines.findIndex((l, j) => j > i && l.trim() === `</${tag}>`);
      if (end < 0) throw invalidLine(lineNumber, `<${tag}> is never closed with </${tag}>.`, 'blockNotClosed', { tag });
      const body = lines.slice(i + 1, end);
      if (tag === 'connection') {
        if (inConnection) throw invalidLine(lineNumber, '<connection> blocks cannot be nested.', 'nestedConnection');
        const inner = parseLines(body, lineNumber + 1, true);
        blocks.push({ tag, content: body.join('\n'), directives: inner.directives, line: lineNumber });
      } else {
        blocks.push({ tag, content: body.join('\n'), line: lineNumber });
      }
      i = end;
      continue;
    }
    if (/^\s*<\//.test(raw)) throw invalidLine(lineNumber, `${raw.trim()} closes a block that was never opened.`, 'strayClose', { closing: raw.trim() });
    const tokens = tokenizeOpenVpnLine(raw);
    if (tokens === null) throw invalidLine(lineNumber, 'a quote is not closed.', 'quoteNotClosed');
    const [first, ...args] = tokens;
    if (first === undefined) continue;
    // OpenVPN accepts `--name` in files too.
    const name = first.replace(/^--/, '').toLowerCase();
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw invalidLine(lineNumber, `"${first.slice(0, 40)}" is not an OpenVPN directive.`, 'notDirective', { token: first.slice(0, 40) });
    directives.push({ name, args, line: lineNumber });
  }
  const inline = new Set(blocks.map((b) => b.tag));
  for (const directive of directives) checkDirective(directive, inline, inConnection);
  return { directives, blocks };
}

export function parseOpenVpnProfile(text: string): OpenVpnProfile {
  if (Buffer.byteLength(text, 'utf8') > maxProfileBytes) throw invalid(`The OpenVPN profile is larger than ${maxProfileBytes / 1024} KiB.`, 'tooLarge', { kib: maxProfileBytes / 1024 });
  if (text.includes('\0')) throw invalid('The OpenVPN profile contains a NUL byte; it is not a text profile.', 'nulByte');
  const { directives, blocks } = parseLines(text.split(/\r?\n/), 1, false);
  const remoteDirectives = [...directives, ...blocks.flatMap((b) => b.directives ?? [])].filter((d) => d.name === 'remote');
  if (remoteDirectives.length === 0) throw invalid('The OpenVPN profile has no "remote": the app would not know which server to reach.', 'noRemote');
  const isClient = directives.some((d) => d.name === 'client' || d.name === 'tls-client' || d.name === 'pull');
  if (!isClient && directives.some((d) => d.name === 'server' || d.name === 'mode')) throw invalid('This is an OpenVPN server profile; the app runs client profiles only.', 'serverProfile');
  checkOpenVpnRoutes([...directives, ...blocks.flatMap((b) => b.directives ?? [])]);
  return {
    kind: 'openvpn',
    directives,
    blocks,
    remotes: remoteDirectives.map((d) => d.args.join(' ')),
  };
}

function quote(token: string): string {
  return `"${token.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function serializeDirectives(directives: readonly OpenVpnDirective[]): string[] {
  return directives.map((d) => [d.name, ...d.args].map(quote).join(' '));
}

/** The text OpenVPN is given: exactly the checked directives, every token quoted, blocks verbatim. */
export function serializeOpenVpnProfile(profile: OpenVpnProfile): string {
  const lines = serializeDirectives(profile.directives);
  for (const block of profile.blocks) {
    const body = block.directives === undefined ? block.content : serializeDirectives(block.directives).join('\n');
    lines.push(`<${block.tag}>`, body, `</${block.tag}>`);
  }
  return `${lines.join('\n')}\n`;
}
