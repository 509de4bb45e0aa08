import { describe, expect, it } from 'vitest';
import { probeProxyFor } from './probe-route.ts';

describe('probeProxyFor: the scanner picks its proxy as the Kubernetes client does', () => {
  const target = (href: string) => new URL(href);

  it('HTTPS_PROXY for https, HTTP_PROXY for http, upper case before lower case', () => {
    const env = { HTTPS_PROXY: 'http://secure.proxy:3128', https_proxy: 'http://ignored:1', http_proxy: 'plain.proxy:8080' };
    expect(probeProxyFor(target('https://app.example.com/'), env)?.href).toBe('http://secure.proxy:3128/');
    expect(probeProxyFor(target('http://app.example.com/'), env)?.href).toBe('http://plain.proxy:8080/');
  });

  it('goes direct when NO_PROXY matches (domain suffix, host:port, CIDR, *) and always for loopback', () => {
    const proxied = { HTTPS_PROXY: 'http://p:3128', HTTP_PROXY: 'http://p:3128' };
    for (const [href, noProxy] of [
      ['https://api.corp.example/', '.corp.example'],
      ['https://corp.example:8443/', 'corp.example:8443'],
      ['http://10.1.2.3/', '10.0.0.0/8'],
      ['http://anything.example/', '*'],
    ] as const) {
      expect(probeProxyFor(target(href), { ...proxied, NO_PROXY: noProxy }), `${href} with NO_PROXY=${noProxy}`).toBeUndefined();
    }
    expect(probeProxyFor(target('http://127.0.0.1:8080/'), proxied)).toBeUndefined();
    expect(probeProxyFor(target('http://localhost/'), proxied)).toBeUndefined();
    expect(probeProxyFor(target('https://corp.example:9443/'), { ...proxied, NO_PROXY: 'corp.example:8443' })?.host).toBe('p:3128');
  });

  it('refuses a proxy scheme it cannot speak rather than going around it', () => {
    expect(() => probeProxyFor(target('https://app.example.com/'), { HTTPS_PROXY: 'socks5://p:1080' })).toThrow(/the proxy socks5:\/\/p:1080 is not supported by the scanner/);
  });
});
