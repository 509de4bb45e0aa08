import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSshFingerprint } from './host-keys.ts';
import { knownHostsName, readKnownHosts } from './known-hosts.ts';

function sshString(value: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(value.length);
  return Buffer.concat([length, value]);
}
/** A fresh ed25519 public key as known_hosts stores it. */
function ed25519Key(): { base64: string; fingerprint: string } {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)]);
  return { base64: blob.toString('base64'), fingerprint: openSshFingerprint(blob) };
}
const target = (host: string, port: number) => ({ host, port, hostPort: `${host}:${port}` });

describe('known_hosts', () => {
  it('names port 22 plainly and other ports in brackets', () => {
    expect(knownHostsName('a.example', 22)).toBe('a.example');
    expect(knownHostsName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
  });

  const hosts = [target('web.example.com', 22), target('10.1.2.3', 2222), target('db.internal', 22)];

  it('offers plain, bracketed and wildcard entries for the hosts asked about, and nothing for others', () => {
    const keys = Array.from({ length: 5 }, ed25519Key);
    const text = [
      '# comment',
      `web.example.com,192.0.2.1 ssh-ed25519 ${keys[0]!.base64} root@web`,
      `[10.1.2.3]:2222 ssh-ed25519 ${keys[1]!.base64}`,
      `10.1.2.3 ssh-ed25519 ${keys[2]!.base64}`, // port 22, not 2222
      `*.internal,!secret.internal ssh-ed25519 ${keys[3]!.base64}`,
      `other.example ssh-ed25519 ${keys[4]!.base64}`,
    ].join('\n');
    const { matches, notes } = readKnownHosts(text, hosts);
    expect(matches).toEqual([
      { hostPort: 'web.example.com:22', keyType: 'ssh-ed25519', fingerprint: keys[0]!.fingerprint, line: 2, hashed: false },
      { hostPort: '10.1.2.3:2222', keyType: 'ssh-ed25519', fingerprint: keys[1]!.fingerprint, line: 3, hashed: false },
      { hostPort: 'db.internal:22', keyType: 'ssh-ed25519', fingerprint: keys[3]!.fingerprint, line: 5, hashed: false },
    ]);
    expect(notes).toEqual([]);
    expect(readKnownHosts(text, [target('secret.internal', 22)]).matches).toEqual([]);
  });

  it('matches entries hashed by ssh-keygen -H', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiops-known-hosts-'));
    try {
      const keys = hosts.map(() => ed25519Key());
      const file = join(dir, 'known_hosts');
      writeFileSync(file, hosts.map((h, i) => `${knownHostsName(h.host, h.port)} ssh-ed25519 ${keys[i]!.base64}`).join('\n') + '\n');
      execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
      const text = readFileSync(file, 'utf8');
      expect(text).toContain('|1|');
      const { matches } = readKnownHosts(text, hosts);
      expect(matches.map((m) => [m.hostPort, m.fingerprint, m.hashed])).toEqual(hosts.map((h, i) => [h.hostPort, keys[i]!.fingerprint, true]));
      expect(readKnownHosts(text, [target('web.example.com', 2222)]).matches).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never offers @revoked or @cert-authority lines, and notes them', () => {
    const key = ed25519Key();
    for (const marker of ['@revoked', '@cert-authority']) {
      const { matches, notes } = readKnownHosts(`${marker} web.example.com ssh-ed25519 ${key.base64}\n`, hosts);
      expect(matches).toEqual([]);
      expect(notes).toEqual([`known_hosts line 1 (${marker}) for web.example.com:22 is not offered as a pin.`]);
    }
  });

  it('skips a key whose blob does not say its type', () => {
    const { matches, notes } = readKnownHosts(`web.example.com ssh-rsa ${ed25519Key().base64}\nweb.example.com ssh-ed25519 AAAA\n`, hosts);
    expect(matches).toEqual([]);
    expect(notes).toHaveLength(2);
  });
});
