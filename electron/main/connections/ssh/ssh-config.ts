import { isAbsolute, join } from 'node:path';

/**
 * `~/.ssh/config` read the way OpenSSH reads it (readconf.c): keywords case-insensitive,
 * `Key value` or `Key=value`, the FIRST obtained value of a keyword wins (IdentityFile
 * accumulates), `Host` patterns with `*`, `?` and `!negation`, `Include` with globs (relative
 * to ~/.ssh), `Match` blocks not evaluated (skipped, with a note). Pure: the caller reads files.
 */
export interface SshConfigFiles {
  /** The file's text, or null when it does not exist. */
  read(path: string): Promise<string | null>;
  /** Names in a folder (for Include globs); empty when it does not exist. */
  list(folder: string): Promise<string[]>;
}

export interface SshConfigContext {
  readonly homeDir: string;
  readonly localUser: string;
  /** Default `~/.ssh/config`. */
  readonly configPath?: string;
}

export interface SshJumpHop {
  readonly host: string;
  readonly port: number;
  readonly username: string;
}

export interface ResolvedSshHost {
  readonly alias: string;
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly identityFiles: readonly string[];
  readonly identitiesOnly: boolean;
  /** Hops in order: the first is connected to directly, the target is reached through the last. */
  readonly proxyJump: readonly SshJumpHop[];
}

interface Line {
  readonly keyword: string;
  readonly args: readonly string[];
  readonly file: string;
  readonly line: number;
}

type Guards = ReadonlyArray<readonly string[]> | 'never';

const maxIncludeDepth = 16;
const maxJumpDepth = 8;

/** Splits one config line into keyword and arguments (double quotes group, `=` may separate). */
export function tokenizeLine(text: string): { keyword: string; args: string[] } | null {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return null;
  const match = /^([A-Za-z][A-Za-z0-9]*)(\s*=\s*|\s+)(.*)$/.exec(trimmed);
  if (!match) return { keyword: trimmed.toLowerCase(), args: [] };
  const args: string[] = [];
  let current = '';
  let quoted = false;
  let started = false;
  for (const char of match[3] ?? '') {
    if (char === '"') {
      quoted = !quoted;
      started = true;
    } else if (!quoted && /\s/.test(char)) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else if (!quoted && char === '#' && !started) {
      break;
    } else {
      current += char;
      started = true;
    }
  }
  if (started) args.push(current);
  return { keyword: (match[1] ?? '').toLowerCase(), args };
}

/** OpenSSH's match_pattern: `*` any run, `?` one character, case-insensitive for host names. */
export function matchPattern(name: string, pattern: string): boolean {
  const source = [...pattern.toLowerCase()].map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's').test(name.toLowerCase());
}

/** A `Host` line matches when no negated pattern matches and at least one plain pattern does. */
export function hostLineMatches(name: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (matchPattern(name, pattern.slice(1))) return false;
    } else if (matchPattern(name, pattern)) {
      matched = true;
    }
  }
  return matched;
}

/** The parsed config: every effective line with the Host patterns that guard it. */
export class SshConfig {
  readonly notes: string[] = [];
  /** Each block applies when every one of its guards (a Host line, and the Host line around its Include) matches. */
  private readonly blocks: Array<{ guards: Guards; lines: Line[] }> = [];
  private readonly context: SshConfigContext;

  private constructor(context: SshConfigContext) {
    this.context = context;
  }

  static async load(files: SshConfigFiles, context: SshConfigContext): Promise<SshConfig> {
    const config = new SshConfig(context);
    await config.readFile(files, context.configPath ?? join(context.homeDir, '.ssh', 'config'), [], 0);
    return config;
  }

  /** Aliases named literally on `Host` lines (no wildcard, no negation), in file order. */
  aliases(): string[] {
    const seen = new Set<string>();
    for (const block of this.blocks) {
      if (block.guards === 'never') continue;
      for (const pattern of block.guards.at(-1) ?? []) if (!/[*?!]/.test(pattern)) seen.add(pattern);
    }
    return [...seen];
  }

  /** What `ssh <alias>` would use: first obtained value of each keyword. */
  resolve(alias: string, depth = 0): ResolvedSshHost {
    const values = new Map<string, string[]>();
    const identityFiles: string[] = [];
    for (const block of this.blocks) {
      if (block.guards === 'never' || !block.guards.every((patterns) => hostLineMatches(alias, patterns))) continue;
      for (const line of block.lines) {
        if (line.keyword === 'identityfile') {
          if (line.args[0] !== undefined) identityFiles.push(line.args[0]);
        } else if (!values.has(line.keyword)) {
          values.set(line.keyword, [...line.args]);
        }
      }
    }
    const first = (keyword: string): string | undefined => values.get(keyword)?.[0];
    const host = expandTokens(first('hostname') ?? alias, { h: alias, ...this.tokens() });
    const username = first('user') ?? this.context.localUser;
    const portText = first('port');
    const port = portText === undefined ? 22 : Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Port "${portText}" for ${alias} is not a port number.`);
    const tokens = { h: host, r: username, ...this.tokens() };
    const jumpText = first('proxyjump');
    const proxyJump = jumpText === undefined || jumpText.toLowerCase() === 'none' ? [] : this.jumpChain(jumpText, depth);
    return {
      alias,
      host,
      port,
      username,
      identityFiles: identityFiles.map((path) => this.expandPath(expandTokens(path, tokens))),
      identitiesOnly: first('identitiesonly')?.toLowerCase() === 'yes',
      proxyJump,
    };
  }

  private tokens(): Record<string, string> {
    return { d: this.context.homeDir, u: this.context.localUser };
  }

  /** `a,b,c` as OpenSSH's -J: each hop is itself looked up in the config; the first hop's own ProxyJump comes first. */
  private jumpChain(text: string, depth: number): SshJumpHop[] {
    if (depth >= maxJumpDepth) throw new Error('ProxyJump chains nest deeper than 8 hops; is there a loop?');
    const hops: SshJumpHop[] = [];
    text.split(',').forEach((spec, index) => {
      const parsed = parseJumpSpec(spec.trim());
      const resolved = this.resolve(parsed.host, depth + 1);
      if (index === 0) hops.push(...resolved.proxyJump);
      hops.push({ host: resolved.host, port: parsed.port ?? resolved.port, username: parsed.username ?? resolved.username });
    });
    return hops;
  }

  private expandPath(path: string): string {
    if (path === '~') return this.context.homeDir;
    if (path.startsWith('~/')) return join(this.context.homeDir, path.slice(2));
    return isAbsolute(path) ? path : join(this.context.homeDir, '.ssh', path);
  }

  private async readFile(files: SshConfigFiles, path: string, guard: Guards, depth: number): Promise<void> {
    const text = await files.read(path);
    if (text === null) return;
    let block: { guards: Guards; lines: Line[] } = { guards: guard, lines: [] };
    this.blocks.push(block);
    for (const [index, raw] of text.split(/\r?\n/).entries()) {
      const token = tokenizeLine(raw);
      if (token === null) continue;
      const line: Line = { ...token, file: path, line: index + 1 };
      if (token.keyword === 'host') {
        block = { guards: guard === 'never' ? 'never' : [...guard, token.args], lines: [] };
        this.blocks.push(block);
      } else if (token.keyword === 'match') {
        this.notes.push(`${path}:${index + 1}: Match blocks are not evaluated; their settings are ignored.`);
        block = { guards: 'never', lines: [] };
        this.blocks.push(block);
      } else if (token.keyword === 'include') {
        if (depth >= maxIncludeDepth) {
          this.notes.push(`${path}:${index + 1}: Include nested too deeply; skipped.`);
          continue;
        }
        // OpenSSH: an Include inside a Host block applies only when that block matches.
        const includeGuard = block.guards;
        for (const pattern of token.args) {
          for (const included of await this.globInclude(files, pattern)) await this.readFile(files, included, includeGuard, depth + 1);
        }
        block = { guards: block.guards, lines: [] };
        this.blocks.push(block);
      } else {
        block.lines.push(line);
      }
    }
  }

  private async globInclude(files: SshConfigFiles, pattern: string): Promise<string[]> {
    const path = this.expandPath(pattern);
    const slash = path.lastIndexOf('/');
    const folder = path.slice(0, slash) || '/';
    const name = path.slice(slash + 1);
    if (!/[*?]/.test(name)) return [path];
    return (await files.list(folder))
      .filter((candidate) => !candidate.startsWith('.') && new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(candidate))
      .sort()
      .map((candidate) => join(folder, candidate));
  }
}

/** `[user@]host[:port]`, `[user@][v6]:port` or `ssh://[user@]host[:port]`. */
export function parseJumpSpec(spec: string): { host: string; port?: number; username?: string } {
  const text = spec.replace(/^ssh:\/\//i, '');
  const at = text.lastIndexOf('@');
  const username = at >= 0 ? text.slice(0, at) : undefined;
  const hostPort = at >= 0 ? text.slice(at + 1) : text;
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort) ?? /^([^:]+)(?::(\d+))?$/.exec(hostPort);
  if (!match || match[1] === undefined || match[1] === '') throw new Error(`"${spec}" is not a ProxyJump hop ([user@]host[:port]).`);
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65535)) throw new Error(`"${spec}" names a port outside 1–65535.`);
  return { host: match[1], ...(port === undefined ? {} : { port }), ...(username ? { username } : {}) };
}

function expandTokens(text: string, tokens: Record<string, string>): string {
  return text.replace(/%(.)/g, (whole, key: string) => (key === '%' ? '%' : (tokens[key] ?? whole)));
}
