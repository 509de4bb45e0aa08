import { z } from 'zod';

// Building blocks for text that crosses the boundary. Every call's and stream's input passes
// `wellFormedInput` (applied once in define.ts), so no schema can forget it; names add
// `displayName`'s character rules on top.

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when the text is well-formed UTF-16: no lone surrogate halves (they cannot become UTF-8). */
export function isWellFormedText(text: string): boolean {
  return !loneSurrogate.test(text);
}

/**
 * The path of the first string (value or object key) in `value` that is not well-formed
 * UTF-16, or null. Walks what zod produced, so it sees exactly the fields a handler gets.
 */
export function illFormedTextPath(value: unknown, path: (string | number)[] = [], depth = 0): (string | number)[] | null {
  if (typeof value === 'string') return isWellFormedText(value) ? null : path;
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = illFormedTextPath(value[i], [...path, i], depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (!isWellFormedText(key)) return [...path, key];
    const found = illFormedTextPath(item, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}

/** Adds the well-formed check to a whole input schema; the schema's type does not change. */
export function wellFormedInput<S extends z.ZodType>(schema: S): S {
  return schema.superRefine((value, context) => {
    const path = illFormedTextPath(value);
    if (path !== null) {
      context.addIssue({ code: 'custom', path, message: 'holds a broken character (a lone UTF-16 surrogate); only well-formed text is accepted' });
    }
  }) as S;
}

/**
 * Characters a name may not hold: controls (Cc, incl. NUL), format characters (Cf: zero-width
 * spaces and joiners, bidi overrides and isolates, the BOM, soft hyphen), line and paragraph
 * separators, private-use and unassigned code points. A name is shown in lists, confirmations
 * and audit rows: what it looks like must be what it is.
 */
const forbiddenInName = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}]/u;

export function nameProblem(text: string): string | null {
  if (!isWellFormedText(text)) return 'holds a broken character (a lone UTF-16 surrogate)';
  const found = forbiddenInName.exec(text);
  if (found) {
    const code = found[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0');
    return `holds an invisible or control character (U+${code}); names may hold only visible characters and spaces`;
  }
  return null;
}

/** Control and format characters (NUL, escapes, zero-width, bidi) have no place in a path or URL path. */
export function withoutControlCharacters<S extends z.ZodType<string>>(schema: S): S {
  return schema.refine((text) => !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(text), 'holds a control or invisible character') as S;
}

/** A human-given name (environment, identity, VPN profile, service): trimmed, visible characters only. */
export function displayName(max = 100) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .superRefine((text, context) => {
      const problem = nameProblem(text);
      if (problem !== null) context.addIssue({ code: 'custom', message: problem });
    });
}
