import { describe, expect, it } from 'vitest';
import { maskTypedArgv } from './command-audit.ts';

describe('maskTypedArgv', () => {
  it('keeps ordinary words and masks values of credential flags in both spellings', () => {
    expect(maskTypedArgv(['kubectl', 'get', 'pods', '--token=abc', '--password', 'hunter2', '-n', 'dev'])).toEqual(['kubectl', 'get', 'pods', '--token=<redacted>', '--password', '<redacted>', '-n', 'dev']);
    expect(maskTypedArgv(['kubectl', '--kubeconfig', '/home/me/.kube/config', 'get', 'pods'])).toEqual(['kubectl', '--kubeconfig', '<redacted>', 'get', 'pods']);
  });

  it('bounds what a typed line can put in the trail', () => {
    const masked = maskTypedArgv(Array.from({ length: 150 }, () => 'x'.repeat(400)));
    expect(masked).toHaveLength(100);
    expect(masked[0]).toHaveLength(301);
  });
});
