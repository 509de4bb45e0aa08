import { describe, expect, it } from 'vitest';
import { detectVpnKind, parseVpnProfile } from './vpn-profile.ts';
import { parseWireGuardProfile, toSetconfText } from './wireguard-profile.ts';

const key1 = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
const key2 = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
const key3 = 'HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=';

const profile = (interfaceExtra = '', peerExtra = ''): string => `
# office
[Interface]
PrivateKey = ${key1}
Address = 10.9.0.2/32, fd00::2/128
DNS = 10.9.0.1
MTU = 1380
${interfaceExtra}

[Peer]
PublicKey = ${key2}
PresharedKey = ${key3}
AllowedIPs = 10.9.0.0/24
AllowedIPs = 192.168.50.0/24 # repeated keys join, as in wg-quick
Endpoint = vpn.example.com:51820
${peerExtra}
`;

function refusal(text: string): string {
  try {
    parseWireGuardProfile(text);
  } catch (error) {
    expect(error).toMatchObject({ code: 'VPN_PROFILE_INVALID' });
    return (error as Error).message;
  }
  throw new Error('the profile was accepted');
}

describe('WireGuard profile checks', () => {
  it('splits a wg-quick profile into what wg accepts and what the app applies with ip', () => {
    const parsed = parseWireGuardProfile(profile());
    expect(parsed).toMatchObject({ addresses: ['10.9.0.2/32', 'fd00::2/128'], mtu: 1380, dns: ['10.9.0.1'] });
    expect(parsed.peers[0]?.allowedIps).toEqual(['10.9.0.0/24', '192.168.50.0/24']);
    const setconf = toSetconfText(parsed, { persistentKeepalive: 25 });
    expect(setconf).not.toMatch(/Address|DNS|MTU/);
    expect(setconf).toContain(`[Peer]\nPublicKey = ${key2}\nPresharedKey = ${key3}\nAllowedIPs = 10.9.0.0/24, 192.168.50.0/24\nEndpoint = vpn.example.com:51820\nPersistentKeepalive = 25`);
  });

  it("keeps the profile's own keepalive", () => {
    expect(toSetconfText(parseWireGuardProfile(profile('', 'PersistentKeepalive = 5')), { persistentKeepalive: 25 })).toContain('PersistentKeepalive = 5\n');
  });

  it.each(['PreUp', 'PostUp', 'PreDown', 'postdown'])('refuses %s, which runs shell commands as root', (hook) => {
    expect(refusal(profile(`${hook} = iptables -F`))).toMatch(new RegExp(`${hook} is not allowed: it runs shell commands as root`));
  });

  it('refuses full-tunnel AllowedIPs, unknown keys and sections, and bad keys', () => {
    expect(refusal(profile('', 'AllowedIPs = 0.0.0.0/0'))).toMatch(/cover all of the IPv4 address space/);
    expect(refusal(profile('Foo = bar'))).toMatch(/Foo is not a known \[Interface\] setting/);
    expect(refusal(`${profile()}\n[Extra]\n`)).toMatch(/\[Extra\] is not a WireGuard section/);
    expect(refusal(profile().replace(key2, 'not-a-key'))).toMatch(/PublicKey is not a WireGuard key/);
    expect(refusal(profile().replace('vpn.example.com:51820', 'nohost'))).toMatch(/Endpoint "nohost" must be host:port/);
    expect(refusal(profile('', 'Endpoint = other:1'))).toMatch(/Endpoint appears more than once/);
    expect(refusal(profile().replace('10.9.0.0/24', '10.9.0.0/33'))).toMatch(/AllowedIPs "10.9.0.0\/33" is not an IP address or CIDR/);
    expect(refusal(`[Interface]\nPrivateKey = ${key1}\n`)).toMatch(/needs at least one \[Peer\]/);
  });

  it('tells WireGuard and OpenVPN profiles apart', () => {
    expect(detectVpnKind(profile())).toBe('wireguard');
    expect(detectVpnKind('client\nremote a 1194\n')).toBe('openvpn');
    expect(parseVpnProfile(profile()).kind).toBe('wireguard');
  });
});
