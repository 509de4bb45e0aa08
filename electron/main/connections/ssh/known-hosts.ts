import { createHmac } from 'node:crypto';
import { hostKeyType, openSshFingerprint } from './host-keys.ts';
import { matchPattern } from './ssh-config.ts';

/** One `~/.ssh/known_hosts` key that names a host the app wants to pin. */
export interface KnownHostMatch {
  readonly hostPort: string;
  readonly keyType: string;
  readonly fingerprint: string;
  /** 1-based line in the file, so the user can find it. */
  readonly line: number;
  readonly hashed: boolean;
}

export interface KnownHostsReading {
  readonly matches: KnownHostMatch[];
  /** Entries seen for the host but not offered (revoked keys, certificate authorities), and unreadable lines. */
  readonly notes: string[];
}

/** The name OpenSSH writes for a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** `|1|salt|hash`: HMAC-SHA1 of the name keyed with the salt (both base64). */
function hashedMatches(entry: string, name: string): boolean {
  const [, kind, salt, hash] = entry.split('|');
  if (kind !== '1' || !salt || !hash) return false;
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
}

/** A comma-separated host field matches when no negated pattern matches and one plain pattern (or hash) does. */
function hostFieldMatches(field: string, name: string): { matched: boolean; hashed: boolean } {
  if (field.startsWith('|')) return { matched: hashedMatches(field, name), hashed: true };
  let matched = false;
  for (const pattern of field.split(',')) {
    if (pattern.startsWith('!')) {
      if (matchPattern(name, pattern.slice(1))) return { matched: false, hashed: false };
    } else if (matchPattern(name, pattern)) {
      matched = true;
    }
  }
  return { matched, hashed: false };
}

/**
 * The keys `known_hosts` holds for each `host:port` asked about. Plain and hashed names,
 * `[host]:port` forms and wildcard patterns match as in OpenSSH; `@revoked` and
 * `@cert-authority` lines are never offered as pins, only noted.
 */
export function readKnownHosts(text: string, targets: ReadonlyArray<{ host: string; port: number; hostPort: string }>): KnownHostsReading {
  const matches: KnownHostMatch[] = [];
  const notes: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    const marker = fields[0]?.startsWith('@') ? fields.shift() : undefined;
    const [hosts, keyType, keyBase64] = fields;
    if (hosts === undefined || keyType === undefined || keyBase64 === undefined) return;
    for (const target of targets) {
      const { matched, hashed } = hostFieldMatches(hosts, knownHostsName(target.host, target.port));
      if (!matched) continue;
      if (marker !== undefined) {
        notes.push(`known_hosts line ${index + 1} (${marker}) for ${target.hostPort} is not offered as a pin.`);
        continue;
      }
      const blob = Buffer.from(keyBase64, 'base64');
      if (blob.length === 0 || hostKeyType(blob) !== keyType) {
        notes.push(`known_hosts line ${index + 1} for ${target.hostPort} has a key that does not parse; skipped.`);
        continue;
      }
      matches.push({ hostPort: target.hostPort, keyType, fingerprint: openSshFingerprint(blob), line: index + 1, hashed });
    }
  });
  return { matches, notes };
}
