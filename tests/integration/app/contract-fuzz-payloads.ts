import type { z } from 'zod';

// Payloads for the contract fuzz test, generated from the contract's own zod schemas: walk the
// schema, pick each string from a pool of hostile and ordinary strings (keeping those the
// field's schema accepts, so most payloads pass parsing and reach the handler), and mutate some
// payloads into shapes the schema must refuse. Deterministic: one seed, one payload list.

/** mulberry32: small, seedable, good enough to pick from lists. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Strings an attacker or a careless paste would send, many of them valid for some field. */
export const hostileStrings: readonly string[] = [
  '\uD800',
  'web\uDC00',
  '\uDBFF\uDBFF',
  'shop\u202Eexe.txt',
  '\u2066default\u2069',
  'de\u200Bfault',
  'web\u200D',
  '\uFEFFweb',
  'nul\u0000byte',
  'line\r\nX-Injected: 1',
  '\u001B[31mred\u001B[0m',
  '../..',
  '..',
  '.',
  '../../../../etc/passwd',
  '/etc/shadow',
  '/dev/zero',
  '/tmp/nul\u0000byte',
  '/tmp/\u202Eevil',
  '/\u0000',
  '/proc/self/environ',
  '/tmp/../etc/passwd',
  '%2e%2e%2f%2e%2e',
  'ｄｅｆａｕｌｔ',
  'kubе-system',
  'аpi',
  '*',
  'default,kube-system',
  '$(id)',
  '`id`',
  '; rm -rf / #',
  '| cat /etc/passwd',
  '--kubeconfig=/etc/shadow',
  '-A',
  'kubectl get secrets --all-namespaces',
  'kubectl get pods -n kube-system',
  'kubectl exec web -- rm -rf /',
  'kubectl delete pod --all --dry-run=false',
  'docker exec other-db-1 env',
  'docker container prune -f',
  'ps aux',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '{{constructor.constructor("return process")()}}',
  '${jndi:ldap://127.0.0.1/x}',
  '__proto__',
  'constructor',
  'toString',
  'http://127.0.0.1:1/',
  'http://user:pass@127.0.0.1:1/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  '😀'.repeat(40),
  'e\u0301'.repeat(30),
  '\u202E'.repeat(5000),
  '\uD800'.repeat(5000),
  'A'.repeat(65_537),
  'x'.repeat(1_000_000),
  '',
  ' ',
  '   padded   ',
];

/** Ordinary values most fields accept, so payloads reach the handlers. */
export function ordinaryStrings(serviceIds: readonly string[], environmentIds: readonly string[]): string[] {
  return [
    ...serviceIds,
    ...environmentIds,
    'web',
    'default',
    'api',
    'api-settings',
    'shop',
    'LOG_LEVEL',
    'a',
    'x-1',
    'v1',
    'nginx:1.27',
    'shop.example.test',
    '/',
    '/api',
    '127.0.0.1',
    'kiops',
    '/tmp/kiops-fuzz-missing.sock',
    '/tmp/kiops-fuzz-missing-kubeconfig',
    'http://127.0.0.1:1/',
    '2026-01-01T00:00:00.000Z',
    'ps aux',
    'kubectl get pods',
    'x'.repeat(63),
    'x'.repeat(64),
    'x'.repeat(253),
  ];
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  items?: z.ZodType[];
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

const numberPool = [0, 1, 2, 3, 10, 50, 100, 200, 500, 1000, 65535, 65536, -1, 0.5, 2 ** 31, 2 ** 53, 1e308, -1e308];

export class PayloadGenerator {
  private readonly next: () => number;
  private readonly strings: readonly string[];

  constructor(next: () => number, strings: readonly string[]) {
    this.next = next;
    this.strings = strings;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** A value for `schema`, valid where the pools allow. */
  value(schema: z.ZodType, depth = 0): unknown {
    const def = defOf(schema);
    switch (def.type) {
      case 'string': {
        const accepted = this.strings.filter((text) => schema.safeParse(text).success);
        return accepted.length > 0 && this.next() < 0.97 ? this.pick(accepted) : this.pick(this.strings);
      }
      case 'number': {
        const accepted = numberPool.filter((n) => schema.safeParse(n).success);
        return accepted.length > 0 ? this.pick(accepted) : this.pick(numberPool);
      }
      case 'boolean':
        return this.next() < 0.5;
      case 'enum':
        return this.pick(Object.values(def.entries ?? {}));
      case 'literal':
        return this.pick(def.values ?? [null]);
      case 'optional':
        return this.next() < 0.3 ? undefined : this.value(def.innerType as z.ZodType, depth);
      case 'nullable':
        return this.next() < 0.2 ? null : this.value(def.innerType as z.ZodType, depth);
      case 'default':
      case 'prefault':
      case 'catch':
      case 'readonly':
      case 'nonoptional':
        return this.next() < 0.2 ? undefined : this.value(def.innerType as z.ZodType, depth);
      case 'pipe':
        return this.value(def.in as z.ZodType, depth);
      case 'lazy':
        return depth > 4 ? undefined : this.value((def.getter as () => z.ZodType)(), depth + 1);
      case 'union':
        return this.value(this.pick(def.options ?? []), depth);
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [key, field] of Object.entries(def.shape ?? {})) {
          const value = this.value(field, depth + 1);
          if (value !== undefined) out[key] = value;
        }
        return out;
      }
      case 'array': {
        if (depth > 6) return [];
        const accepted = [1, 2, 3, 0, 5].find((count) => schema.safeParse(Array.from({ length: count }, () => this.value(def.element as z.ZodType, depth + 1))).success) ?? 1;
        return Array.from({ length: accepted }, () => this.value(def.element as z.ZodType, depth + 1));
      }
      case 'tuple':
        return (def.items ?? []).map((item) => this.value(item, depth + 1));
      case 'record': {
        const key = String(this.value(def.keyType as z.ZodType, depth + 1));
        return { [key]: this.value(def.valueType as z.ZodType, depth + 1) };
      }
      default:
        return this.pick(this.strings);
    }
  }

  /** A shape the schema should refuse: wrong types, extra keys, prototype keys, deep nesting. */
  mutant(schema: z.ZodType): unknown {
    const base = this.value(schema);
    const mutations: (() => unknown)[] = [
      () => null,
      () => [],
      () => this.pick(this.strings),
      () => 1e308,
      () => (typeof base === 'object' && base !== null ? { ...base, [this.pick(['__proto__', 'constructor', 'extra', 'x\uD800'])]: { polluted: true } } : { extra: base }),
      () => JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as unknown,
      () => {
        let nested: unknown = 'deep';
        for (let i = 0; i < 800; i += 1) nested = { a: nested };
        return nested;
      },
      () =>
        typeof base === 'object' && base !== null && !Array.isArray(base)
          ? Object.fromEntries(Object.entries(base).map(([key, value]) => [key, typeof value === 'string' ? 12345 : typeof value === 'number' ? String(value) : value === undefined ? null : [value]]))
          : [base],
    ];
    return this.pick(mutations)();
  }
}
