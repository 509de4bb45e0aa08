import { describe, expect, it } from 'vitest';
import { electronOriginRule, originOf, SenderPolicy } from './sender-policy.ts';

const electron = (origin: string) => ({ transport: 'electron' as const, origin });

describe('Electron sender rule: exact origin, not a prefix', () => {
  it('trusts any page of app://kiops and nothing that merely starts like it', () => {
    const policy = new SenderPolicy();
    policy.allow(electronOriginRule('app://kiops'));
    for (const url of ['app://kiops/index.html', 'app://kiops/', 'app://kiops/index.html#/audit?x=1']) expect(policy.isTrusted(electron(url)), url).toBe(true);
    const lookalikes = ['app://kiops.evil/index.html', 'app://kiopsx/', 'app://evil/kiops', 'app://user@kiops/', 'app://kiops:1/', 'https://kiops/', 'file:///app/kiops/index.html', 'app:kiops', 'null', 'subframe', ''];
    for (const url of lookalikes) expect(policy.isTrusted(electron(url)), url).toBe(false);
    expect(policy.isTrusted({ transport: 'browser', origin: 'app://kiops/index.html', tokenAccepted: true })).toBe(false);
  });

  it('for a dev server, the port and host must match too', () => {
    const rule = electronOriginRule('http://localhost:5173');
    expect(rule(electron('http://localhost:5173/src/main.ts'))).toBe(true);
    for (const url of ['http://localhost:5174/', 'http://localhost:5173.evil.example/', 'http://localhost:5173@evil.example/', 'https://localhost:5173/', 'http://127.0.0.1:5173/'])
      expect(rule(electron(url)), url).toBe(false);
  });

  it('refuses to build a rule from something that is not an origin', () => {
    for (const text of ['app://kiops/index.html', 'file:///tmp', 'http://a@b/', 'nonsense']) expect(() => electronOriginRule(text), text).toThrow();
    expect(originOf('APP://kiops/x')).toBe('app://kiops');
  });
});
