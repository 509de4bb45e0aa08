import { EVENT_ID, getScalarValue, parseEvents, type Event } from 'js-yaml';

type Frame = { kind: 'mapping'; path: string; key: string | null; keyOffset: number } | { kind: 'sequence'; path: string; index: number };

/**
 * Maps each value's path (`rules[2].allow[0]`) to the 1-based line it sits on, so a schema
 * problem found after parsing can still name the line the operator must fix. Works for JSON
 * too (JSON is YAML). Returns an empty map when the text does not parse.
 */
export function yamlValueLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let events: Event[];
  try {
    events = parseEvents(text, {});
  } catch {
    return lines;
  }
  const lineAt = (offset: number): number => text.slice(0, Math.max(0, offset)).split('\n').length;
  const stack: Frame[] = [];
  const place = (offset: number): string | null => {
    const frame = stack.at(-1);
    if (frame === undefined) return '';
    if (frame.kind === 'sequence') {
      const path = `${frame.path}[${frame.index}]`;
      frame.index += 1;
      lines.set(path, lineAt(offset));
      return path;
    }
    if (frame.key === null) return null;
    const path = frame.path === '' ? frame.key : `${frame.path}.${frame.key}`;
    lines.set(path, lineAt(frame.keyOffset));
    frame.key = null;
    return path;
  };
  for (const event of events) {
    if (event.type === EVENT_ID.SCALAR) {
      const frame = stack.at(-1);
      if (frame?.kind === 'mapping' && frame.key === null) {
        frame.key = getScalarValue(text, event);
        frame.keyOffset = event.valueStart;
      } else place(event.valueStart);
    } else if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) {
      const path = place(event.start) ?? '';
      stack.push(event.type === EVENT_ID.MAPPING ? { kind: 'mapping', path, key: null, keyOffset: 0 } : { kind: 'sequence', path, index: 0 });
    } else if (event.type === EVENT_ID.ALIAS) {
      const frame = stack.at(-1);
      if (frame?.kind === 'mapping' && frame.key === null) frame.key = '*';
      else place(0);
    } else if (event.type === EVENT_ID.POP) {
      stack.pop();
    }
  }
  return lines;
}

/** The zod issue path in the same spelling as `yamlValueLines`' keys. */
export function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text === '' ? String(part) : `${text}.${String(part)}`), '');
}
