import { afterEach, describe, expect, it } from 'vitest';
import { testEnvironment } from '../../support/test-environment.ts';
import { missingVpnPrerequisites, vpnLabSkipReason } from '../../support/vpn-prerequisites.ts';

// The root-only VPN suites decide here whether they run, skip (locally) or fail (under CI).
describe('VPN lab prerequisites', () => {
  const savedCi = process.env.CI;
  afterEach(() => {
    if (savedCi === undefined) delete process.env.CI;
    else process.env.CI = savedCi;
  });

  it('names a missing tool', () => {
    expect(missingVpnPrerequisites(['kiops-no-such-vpn-tool'])).toContain('kiops-no-such-vpn-tool');
  });

  it('fails under CI=true instead of skipping', () => {
    process.env.CI = 'true';
    expect(() => vpnLabSkipReason(['kiops-no-such-vpn-tool'])).toThrow(/^CI must not skip: the VPN lab needs .*kiops-no-such-vpn-tool/);
  });

  it('skips with the reason on a developer machine (unless the environment is strict)', () => {
    delete process.env.CI;
    if (testEnvironment().strict) expect(() => vpnLabSkipReason(['kiops-no-such-vpn-tool'])).toThrow(/CI must not skip/);
    else expect(vpnLabSkipReason(['kiops-no-such-vpn-tool'])).toMatch(/^skipped, the VPN lab needs .*kiops-no-such-vpn-tool/);
  });
});
