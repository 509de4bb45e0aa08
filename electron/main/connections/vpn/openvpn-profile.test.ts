import { describe, expect, it } from 'vitest';
import { parseOpenVpnProfile, serializeOpenVpnProfile, tokenizeOpenVpnLine } from './openvpn-profile.ts';

const pem = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----';
const base = ['client', 'route-nopull', 'dev tun', 'proto udp', 'remote vpn.example.com 1194', 'nobind', `<ca>\n${pem}\n</ca>`, `<cert>\n${pem}\n</cert>`, `<key>\n${pem}\n</key>`];
const profile = (...extra: string[]): string => [...base, ...extra].join('\n');

function refusal(text: string): string {
  try {
    parseOpenVpnProfile(text);
  } catch (error) {
    expect(error).toMatchObject({ code: 'VPN_PROFILE_INVALID' });
    return (error as Error).message;
  }
  throw new Error('the profile was accepted');
}

describe('OpenVPN profile checks', () => {
  it('accepts a self-contained client profile with inline key material', () => {
    const parsed = parseOpenVpnProfile(profile('<tls-auth>\nkey\n</tls-auth>', 'key-direction 1', 'verb 3', 'script-security 1'));
    expect(parsed.remotes).toEqual(['vpn.example.com 1194']);
    expect(parsed.blocks.map((b) => b.tag)).toEqual(['ca', 'cert', 'key', 'tls-auth']);
  });

  it.each([
    ['up /etc/openvpn/up.sh', /"up" is not allowed: it makes OpenVPN run a program/],
    ['down /bin/sh', /"down" is not allowed/],
    ['route-up x', /"route-up" is not allowed/],
    ['tls-verify "/bin/sh -c id"', /"tls-verify" is not allowed/],
    ['auth-user-pass-verify x via-env', /"auth-user-pass-verify" is not allowed/],
    ['learn-address x', /"learn-address" is not allowed/],
    ['client-connect x', /"client-connect" is not allowed/],
    ['plugin /usr/lib/openvpn/plugin.so', /"plugin" is not allowed/],
    ['iproute /tmp/fake-ip', /"iproute" is not allowed/],
    ['engine /tmp/evil.so', /"engine" is not allowed/],
    ['providers legacy /tmp/evil', /"providers" is not allowed/],
    ['pkcs11-providers /tmp/evil.so', /"pkcs11-providers" is not allowed/],
    ['script-security 2', /"script-security 2" is not allowed/],
    ['management 127.0.0.1 7505', /the app sets up the management interface itself/],
    ['management-hold', /management interface itself/],
    ['daemon', /"daemon" is not allowed: the app decides how OpenVPN runs/],
    ['log-append /etc/passwd', /"log-append" is not allowed/],
    ['config /etc/other.conf', /"config" is not allowed/],
    ['writepid /etc/x', /"writepid" is not allowed/],
  ])('refuses %s', (line, reason) => {
    expect(refusal(profile(line))).toMatch(reason);
  });

  it('sees through the spellings OpenVPN itself accepts: --name, quotes, escapes, upper case', () => {
    expect(refusal(profile('--up /x'))).toMatch(/"up" is not allowed/);
    expect(refusal(profile('"up" /x'))).toMatch(/"up" is not allowed/);
    expect(refusal(profile("'u'p /x"))).toMatch(/"up" is not allowed/);
    expect(refusal(profile('u\\p /x'))).toMatch(/"up" is not allowed/);
    expect(refusal(profile('   UP /x'))).toMatch(/"up" is not allowed/);
  });

  it('names the line it refused', () => {
    expect(refusal(profile('up /x'))).toMatch(/^Line 22 of the OpenVPN profile: /);
  });

  it('refuses key material given as a file path and credentials it would have to prompt for', () => {
    expect(refusal(['client', 'remote h 1', 'ca /etc/ssl/ca.pem'].join('\n'))).toMatch(/points at a file; put its content inline as <ca>…<\/ca>/);
    expect(refusal(profile('tls-auth ta.key 1'))).toMatch(/points at a file/);
    expect(refusal(profile('auth-user-pass'))).toMatch(/would make OpenVPN ask for a password/);
    expect(refusal(profile('auth-user-pass /etc/shadow'))).toMatch(/points at a file/);
    expect(parseOpenVpnProfile(profile('auth-user-pass', '<auth-user-pass>\nuser\npass\n</auth-user-pass>')).blocks.map((b) => b.tag)).toContain('auth-user-pass');
  });

  it('checks directives inside <connection> blocks too', () => {
    expect(refusal([...base, '<connection>', 'remote other 1194', 'up /x', '</connection>'].join('\n'))).toMatch(/"up" is not allowed/);
    const ok = parseOpenVpnProfile([...base, '<connection>', 'remote other 443 tcp', '</connection>'].join('\n'));
    expect(ok.remotes).toEqual(['vpn.example.com 1194', 'other 443 tcp']);
  });

  it('refuses unknown inline blocks, unclosed blocks and unclosed quotes', () => {
    expect(refusal(profile('<up>\n/bin/sh\n</up>'))).toMatch(/<up> is not a block the app accepts inline/);
    expect(refusal(profile('<ca>\nabc'))).toMatch(/<ca> is never closed/);
    expect(refusal(profile('remote "host 1194'))).toMatch(/a quote is not closed/);
  });

  it('refuses server profiles and profiles without a remote', () => {
    expect(refusal(['dev tun', 'server 10.8.0.0 255.255.255.0'].join('\n'))).toMatch(/no "remote"/);
    expect(refusal(['dev tun', 'remote a 1', 'mode server'].join('\n'))).toMatch(/server profile/);
  });

  it('hands OpenVPN exactly what it checked, every token quoted', () => {
    const parsed = parseOpenVpnProfile(profile('# comment', '; other comment', 'remote "weird host" 1194 # trailing', 'setenv FOO "a\\"b"'));
    const text = serializeOpenVpnProfile(parsed);
    expect(text).not.toContain('comment');
    expect(text).toContain('"remote" "weird host" "1194"\n');
    expect(text).toContain('"setenv" "FOO" "a\\"b"\n');
    expect(text).toContain(`<key>\n${pem}\n</key>`);
    // Re-reading the serialized form gives the same directives.
    expect(parseOpenVpnProfile(text).directives.map((d) => [d.name, ...d.args])).toEqual(parsed.directives.map((d) => [d.name, ...d.args]));
  });

  it('tokenizes like OpenVPN', () => {
    expect(tokenizeOpenVpnLine('remote a 1 ; comment')).toEqual(['remote', 'a', '1']);
    expect(tokenizeOpenVpnLine("x 'a b' \"c\\\"d\" e\\ f")).toEqual(['x', 'a b', 'c"d', 'e f']);
    expect(tokenizeOpenVpnLine('x "open')).toBeNull();
    expect(tokenizeOpenVpnLine('   # only a comment')).toEqual([]);
  });
});
