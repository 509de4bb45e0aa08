import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadAttemptsKey, startedAttribute } from '../../../renderer/src/shell/load-guard-names.ts';
import { contentSecurityPolicy, loadGuardScriptHash } from './content-security-policy.ts';

const indexHtml = readFileSync(new URL('../../../renderer/index.html', import.meta.url), 'utf8');

describe("the window's Content-Security-Policy", () => {
  it("allows index.html's one inline script, the load guard, by its hash, in the header and in the page's own policy", () => {
    const inline = [...indexHtml.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '');
    expect(inline).toHaveLength(1);
    const hash = `'sha256-${createHash('sha256').update(inline[0] ?? '').digest('base64')}'`;
    expect(loadGuardScriptHash).toBe(hash);
    const scriptSources = (policy: string) => policy.split(';').map((part) => part.trim()).find((part) => part.startsWith('script-src'));
    expect(scriptSources(contentSecurityPolicy())).toBe(`script-src 'self' ${hash}`);
    expect(scriptSources(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(indexHtml)?.[1] ?? '')).toBe(`script-src 'self' ${hash}`);
  });

  it('the load guard and the window\'s code agree on the started mark and the reload count', () => {
    const guard = /<script>([\s\S]*?)<\/script>/.exec(indexHtml)?.[1] ?? '';
    expect(guard).toContain(`'${loadAttemptsKey}'`);
    expect(guard).toContain(`hasAttribute('${startedAttribute}')`);
  });
});
