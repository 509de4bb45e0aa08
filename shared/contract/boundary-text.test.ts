import { describe, expect, it } from 'vitest';
import { contract, type EntryName } from './index.ts';
import { isContainerName, isDns1035Label, isDns1123Label, isDns1123Subdomain, parseServiceIdText } from './names.ts';
import { displayName, illFormedTextPath, isWellFormedText, nameProblem } from './text.ts';

// The boundary's text building blocks: well-formed UTF-16 everywhere, visible-only names, and
// service ids parsed into the names Kubernetes and the engines accept.

const loneHigh = '\uD800';
const loneLow = '\uDFFF';
const formatCharacters = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u061C', '\u200E', '\u200F'];
const controlCharacters = ['\u0000', '\u0001', '\u0007', '\u001B', '\u007F', '\u0085', '\u009B', '\n', '\r', '\t', '\u2028', '\u2029'];

describe('well-formed text', () => {
  it.each([loneHigh, loneLow, `a${loneHigh}b`, `${loneLow}${loneHigh}`, `😀`.slice(0, 1), `x${'😀'.slice(1)}`])('finds the lone surrogate in %j', (text) => {
    expect(isWellFormedText(text)).toBe(false);
  });

  it('accepts astral characters, combining marks and plain text', () => {
    for (const text of ['😀', 'e\u0301', '한국어 서비스', '', 'a'.repeat(10_000)]) expect(isWellFormedText(text)).toBe(true);
  });

  it('names the path of the first broken string, keys included', () => {
    expect(illFormedTextPath({ a: ['ok', { b: `x${loneHigh}` }] })).toEqual(['a', 1, 'b']);
    expect(illFormedTextPath({ [`k${loneLow}`]: 1 })).toEqual([`k${loneLow}`]);
    expect(illFormedTextPath({ a: ['ok', 1, null, { b: 'fine' }] })).toBeNull();
  });

  it('is part of every call and stream input in the contract', () => {
    for (const name of Object.keys(contract) as EntryName[]) {
      const result = contract[name].input.safeParse({ [`x${loneHigh}`]: loneHigh });
      expect(result.success, name).toBe(false);
    }
    const parsed = contract['audit.list'].input.safeParse({ limit: 5 });
    expect(parsed.success).toBe(true);
  });
});

describe('names', () => {
  it.each([...formatCharacters, ...controlCharacters])('refuses U+%s inside a name', (character) => {
    const code = character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    expect(nameProblem(`shop${character}prod`)).toMatch(new RegExp(`U\\+${code}`));
    expect(displayName().safeParse(`shop${character}prod`).success).toBe(false);
  });

  it('refuses lone surrogates, private-use and unassigned characters; keeps visible text and spaces', () => {
    expect(displayName().safeParse(`shop${loneHigh}`).success).toBe(false);
    expect(displayName().safeParse('shop\uE000').success).toBe(false);
    expect(displayName().safeParse('shop\u{10FFFF}').success).toBe(false);
    expect(displayName().parse('  운영 클러스터 (prod) — eu/1  ')).toBe('운영 클러스터 (prod) — eu/1');
    expect(displayName().parse('Café 😀')).toBe('Café 😀');
  });
});

describe('Kubernetes and engine names', () => {
  it.each([
    ['web', true, true, true],
    ['web-1', true, true, true],
    ['1web', true, true, false],
    ['web.v2', false, true, false],
    ['..', false, false, false],
    ['.', false, false, false],
    ['a..b', false, false, false],
    ['a.-b', false, false, false],
    ['-web', false, false, false],
    ['Web', false, false, false],
    ['web_1', false, false, false],
    ['', false, false, false],
    ['a'.repeat(63), true, true, true],
    ['a'.repeat(64), false, true, false],
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, false, true, false],
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`, false, false, false],
  ])('%j: label %s, subdomain %s, RFC 1035 label %s', (name, label, subdomain, dns1035) => {
    expect(isDns1123Label(name)).toBe(label);
    expect(isDns1123Subdomain(name)).toBe(subdomain);
    expect(isDns1035Label(name)).toBe(dns1035);
  });

  it('container names follow the engines: no slash, no leading dot or dash', () => {
    expect(isContainerName('shop-db_1.x')).toBe(true);
    for (const bad of ['../x', '/shop', '.x', '-x', 'a/b', 'a b', '']) expect(isContainerName(bad)).toBe(false);
  });
});

describe('service ids', () => {
  const env = 'env_1';
  it('parses the ids the app gives out into their names', () => {
    expect(parseServiceIdText(`${env}:deployment:shop/web`)).toEqual({ ok: true, value: { environmentId: env, kind: 'deployment', namespace: 'shop', deployment: 'web' } });
    expect(parseServiceIdText(`${env}:compose:shop`)).toMatchObject({ ok: true, value: { project: 'shop' } });
    expect(parseServiceIdText(`${env}:container:shop-db-1`)).toMatchObject({ ok: true, value: { containerName: 'shop-db-1' } });
    expect(parseServiceIdText(`${env}:manual:123e4567-e89b-42d3-a456-426614174000`)).toMatchObject({ ok: true, value: { kind: 'manual' } });
  });

  // generated: every way a key could widen or leave its namespace
  const badKeys = ['../..', '..', '.', '', '/', 'shop', 'shop/', '/web', 'shop/web/x', 'shop/../web', '../shop/web', 'shop/..', 'Shop/web', 'shop/web\u0000', 'shop\u202E/web', 'shop%2f/web', ' shop/web', 'shop/web ', '*/web', 'shop/*', 'shop/.'];
  it.each(badKeys.flatMap((key) => ['deployment', 'compose', 'container', 'manual'].map((kind) => [kind, key])).filter(([kind, key]) => key !== 'shop' || kind === 'deployment' || kind === 'manual'))('refuses %s key %j', (kind, key) => {
    expect(parseServiceIdText(`${env}:${kind}:${key}`).ok).toBe(false);
  });

  it.each(['', ':deployment:shop/web', 'env/../x:deployment:shop/web', 'env:pod:shop/web', 'env', 'env:deployment', `${env}:DEPLOYMENT:shop/web`])('refuses the id %j', (id) => {
    expect(parseServiceIdText(id).ok).toBe(false);
  });

  it('the contract refuses a crafted id before any handler sees it', () => {
    const result = contract['overview.get'].input.safeParse({ serviceId: `${env}:deployment:../..` });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/not a service id the app gave out/);
  });
});
