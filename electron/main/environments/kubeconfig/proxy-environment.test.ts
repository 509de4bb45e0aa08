import { describe, expect, it } from 'vitest';
import { proxyEnvironmentOf, proxyFor, proxyVariablesOf } from './proxy-environment.ts';

const proxy = 'http://proxy.corp:3128';
const via = (target: string, noProxy = '', extra: { httpProxy?: string; httpsProxy?: string } = {}) =>
  proxyFor(target, { httpsProxy: proxy, httpProxy: 'http://plain.corp:8080', noProxy, ...extra });

describe('proxy environment like client-go', () => {
  it('reads upper case first, then lower case, ignoring empty values', () => {
    expect(proxyEnvironmentOf({ HTTPS_PROXY: 'http://a:1', https_proxy: 'http://b:2', no_proxy: '.x' })).toEqual({ httpsProxy: 'http://a:1', noProxy: '.x' });
    expect(proxyEnvironmentOf({ HTTPS_PROXY: '', https_proxy: 'http://b:2', HTTP_PROXY: 'http://c:3' })).toEqual({ httpsProxy: 'http://b:2', httpProxy: 'http://c:3' });
    expect(proxyEnvironmentOf({})).toEqual({});
    expect(proxyVariablesOf({ HTTPS_PROXY: 'http://a:1', no_proxy: '.x', PATH: '/bin', AWS_PROFILE: 'p', http_proxy: '' })).toEqual({ HTTPS_PROXY: 'http://a:1', no_proxy: '.x' });
  });

  it('uses HTTPS_PROXY for https servers and HTTP_PROXY for http servers', () => {
    expect(via('https://api.example.com:6443')).toBe(proxy);
    expect(via('http://api.example.com:8080')).toBe('http://plain.corp:8080');
    expect(proxyFor('https://api.example.com', { httpProxy: 'http://plain.corp:8080' })).toBeUndefined();
    expect(proxyFor('https://api.example.com', {})).toBeUndefined();
  });

  it('adds http:// to a proxy without a scheme and keeps socks5 and https proxies', () => {
    expect(via('https://k8s.example.com', '', { httpsProxy: 'proxy.corp:3128' })).toBe('http://proxy.corp:3128');
    expect(via('https://k8s.example.com', '', { httpsProxy: 'socks5://127.0.0.1:1080' })).toBe('socks5://127.0.0.1:1080');
    expect(via('https://k8s.example.com', '', { httpsProxy: 'https://user:pw@proxy.corp' })).toBe('https://user:pw@proxy.corp');
  });

  it('never proxies localhost or loopback addresses', () => {
    for (const target of ['https://localhost:6443', 'https://LOCALHOST', 'https://127.0.0.1:6443', 'https://127.8.9.10', 'https://[::1]:6443', 'https://[::ffff:127.0.0.1]:443']) {
      expect(via(target), target).toBeUndefined();
    }
    expect(via('https://localhost.example.com')).toBe(proxy);
    expect(via('https://128.0.0.1')).toBe(proxy);
  });

  it('matches NO_PROXY domains as suffixes, with and without a leading dot or *.', () => {
    const cases: Array<[string, string, boolean]> = [
      ['example.com', 'https://example.com', false],
      ['example.com', 'https://api.example.com', false],
      ['example.com', 'https://a.b.example.com:6443', false],
      ['example.com', 'https://badexample.com', true],
      ['.example.com', 'https://example.com', true],
      ['.example.com', 'https://api.example.com', false],
      ['*.example.com', 'https://api.example.com', false],
      ['*.example.com', 'https://example.com', true],
      ['EXAMPLE.com', 'https://Api.Example.COM', false],
      [' foo.org , example.com ', 'https://x.example.com', false],
      ['foo.org', 'https://x.example.com', true],
      ['', 'https://x.example.com', true],
      [',,', 'https://x.example.com', true],
    ];
    for (const [noProxy, target, proxied] of cases) expect(via(target, noProxy) === proxy, `${noProxy} / ${target}`).toBe(proxied);
  });

  it('honours ports on NO_PROXY domains and IPs, with the scheme default when the URL has none', () => {
    expect(via('https://api.example.com:6443', 'example.com:6443')).toBeUndefined();
    expect(via('https://api.example.com:443', 'example.com:6443')).toBe(proxy);
    expect(via('https://api.example.com', 'example.com:443')).toBeUndefined();
    expect(via('https://10.1.2.3:6443', '10.1.2.3:6443')).toBeUndefined();
    expect(via('https://10.1.2.3:443', '10.1.2.3:6443')).toBe(proxy);
    expect(via('https://[fd00::5]:6443', '[fd00::5]:6443')).toBeUndefined();
    expect(via('https://[fd00::5]:443', '[fd00::5]:6443')).toBe(proxy);
  });

  it('matches NO_PROXY IPs and CIDRs only against IP literal hosts', () => {
    const cases: Array<[string, string, boolean]> = [
      ['10.0.0.0/8', 'https://10.200.3.4:6443', false],
      ['10.0.0.0/8', 'https://11.0.0.1', true],
      ['192.168.1.0/24', 'https://192.168.1.255', false],
      ['192.168.1.0/24', 'https://192.168.2.1', true],
      ['172.16.0.0/12', 'https://172.31.255.1', false],
      ['172.16.0.0/12', 'https://172.32.0.1', true],
      ['0.0.0.0/0', 'https://8.8.8.8', false],
      ['10.1.2.3/32', 'https://10.1.2.3', false],
      ['10.1.2.3/32', 'https://10.1.2.4', true],
      ['fd00::/8', 'https://[fd12:3456::1]', false],
      ['fd00::/8', 'https://[fe80::1]', true],
      ['2001:db8::/32', 'https://[2001:db8:ffff::1]:6443', false],
      ['10.0.0.0/8', 'https://ten.example.com', true],
      ['10.1.2.3', 'https://10.1.2.3', false],
      ['fd00::5', 'https://[fd00:0:0::5]', false],
      ['10.1.2.3', 'https://10.1.2.30', true],
      ['10.0.0.0/33', 'https://10.0.0.1', true],
    ];
    for (const [noProxy, target, proxied] of cases) expect(via(target, noProxy) === proxy, `${noProxy} / ${target}`).toBe(proxied);
  });

  it('treats * as "no proxy for anything"', () => {
    expect(via('https://api.example.com', '*')).toBeUndefined();
    expect(via('https://10.1.2.3', 'foo.org,*')).toBeUndefined();
  });

  it('leaves a target that is not a URL direct', () => {
    expect(via('not a url')).toBeUndefined();
  });
});
