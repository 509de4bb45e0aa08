import { dump } from 'js-yaml';
import { isMap, isScalar, isSeq, parse, parseDocument, type Document } from 'yaml';
import { isDeepStrictEqual } from 'node:util';
import type { OrganisationPolicy } from '../../../shared/contract/policy.ts';
import { parseOrganisationPolicy } from './organisation-policy.ts';

const header = '# KIOPS Desktop organisation permission policy (see electron/main/permissions/README.md).\n# Written by the in-app policy editor; the file stays the source of truth: edit or distribute it as before.\n';

/** How the file is written: YAML (comments possible) or JSON (valid YAML too, but no comments). */
export type PolicyFileFormat = 'yaml' | 'json';

export function policyFileFormat(text: string): PolicyFileFormat {
  return text.trimStart().startsWith('{') ? 'json' : 'yaml';
}

/** A new file: the header comment and the rules. */
export function policyFileText(policy: OrganisationPolicy): string {
  return `${header}${dump(policy, { lineWidth: -1, noRefs: true, flowLevel: 3 })}`;
}

type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

const keyOf = (key: unknown): string => String(isScalar(key) ? key.value : key);

/** One replacement in the file's text: [start, end) becomes `text`. */
interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function readsBackAs(text: string): boolean {
  try {
    return isDeepStrictEqual(parse(`[${text}]`), [text]);
  } catch {
    return false;
  }
}

/** A scalar as YAML writes it: plain when it reads back as itself, otherwise quoted as it was (double by default). */
function scalarText(value: Plain, quoting?: string): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  if (quoting === 'QUOTE_SINGLE') return `'${value.replaceAll("'", "''")}'`;
  if (quoting !== 'QUOTE_DOUBLE' && readsBackAs(value)) return value;
  return JSON.stringify(value);
}

/** A list or map written on one line, padded inside its brackets as the file's was (`[ a ]` or `[a]`). */
function flowText(value: Plain, padded: boolean): string {
  const pad = (inner: string) => (padded && inner !== '' ? ` ${inner} ` : inner);
  if (Array.isArray(value)) return `[${pad(value.map((item) => flowText(item, padded)).join(', '))}]`;
  if (value !== null && typeof value === 'object') return `{${pad(Object.entries(value).map(([key, item]) => `${scalarText(key)}: ${flowText(item, padded)}`).join(', '))}}`;
  return scalarText(value);
}

const lineStart = (source: string, at: number): number => source.lastIndexOf('\n', at - 1) + 1;
const lineEnd = (source: string, at: number): number => (source.indexOf('\n', at) === -1 ? source.length : source.indexOf('\n', at));

/**
 * A block list of scalars, each on its own line, grown or shrunk line by line: added items go
 * after the last one with its indentation, removed ones take their lines (and comments) along.
 */
function blockListResized(source: string, items: readonly unknown[], added: readonly Plain[], removed: readonly unknown[]): Splice[] | undefined {
  if (added.length === 0 && removed.length === 0) return [];
  const ranges = items.map((item) => (isScalar(item) ? item.range : undefined));
  if (ranges.some((range) => range === undefined) || added.some((item) => item !== null && typeof item === 'object')) return undefined;
  const last = ranges.at(-1);
  if (last === undefined || last === null) return undefined;
  const splices: Splice[] = [];
  if (added.length > 0) {
    const prefix = source.slice(lineStart(source, last[0]), last[0]);
    if (!/^\s*-\s+$/.test(prefix)) return undefined;
    const at = lineEnd(source, last[1]);
    splices.push({ start: at, end: at, text: added.map((item) => `\n${prefix}${scalarText(item)}`).join('') });
  }
  for (const item of removed) {
    const range = (item as { range: [number, number, number] }).range;
    const start = lineStart(source, range[0]);
    if (!/^\s*-\s+$/.test(source.slice(start, range[0]))) return undefined;
    splices.push({ start, end: Math.min(source.length, lineEnd(source, range[1]) + 1), text: '' });
  }
  return splices;
}

/**
 * What to replace in the source so that `node` says `value`, touching only the values that
 * differ; undefined when the change adds or removes lines of a block list or map (then the
 * Document API rewrites the file, comments kept).
 */
function splices(source: string, node: unknown, value: Plain): Splice[] | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (range === undefined || (!isScalar(node) && !isSeq(node) && !isMap(node))) return undefined;
  if (isDeepStrictEqual((node as { toJSON(): unknown }).toJSON(), value)) return [];
  const replace = (text: string): Splice[] => [{ start: range[0], end: range[1], text }];
  if (isScalar(node)) return value !== null && typeof value === 'object' ? undefined : replace(scalarText(value, node.type));
  if (node.flow) return replace(flowText(value, /^[[{] /.test(source.slice(range[0], range[1]))));
  const pairs: [unknown, Plain][] = [];
  const lengthChange: Splice[] = [];
  if (isSeq(node)) {
    if (!Array.isArray(value) || value.length === 0) return undefined;
    const kept = Math.min(value.length, node.items.length);
    value.slice(0, kept).forEach((item, index) => pairs.push([node.items[index], item]));
    const resized = blockListResized(source, node.items, value.slice(kept), node.items.slice(kept));
    if (resized === undefined) return undefined;
    lengthChange.push(...resized);
  } else {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const keys = node.items.map((pair) => keyOf(pair.key));
    if (keys.length !== Object.keys(value).length || keys.some((key) => !Object.hasOwn(value, key))) return undefined;
    for (const pair of node.items) pairs.push([pair.value, value[keyOf(pair.key)] ?? null]);
  }
  const all: Splice[] = [...lengthChange];
  for (const [child, item] of pairs) {
    const found = splices(source, child, item);
    if (found === undefined) return undefined;
    all.push(...found);
  }
  return all;
}

/**
 * `node` changed in place to say `value`: a scalar keeps its comment and quoting, a map keeps
 * the order and comments of its keys, a list its items by position; only what differs is new.
 */
function reconciled(doc: Document, node: unknown, value: Plain): unknown {
  if (Array.isArray(value)) {
    if (!isSeq(node)) return doc.createNode(value);
    value.forEach((item, index) => {
      if (index < node.items.length) node.items[index] = reconciled(doc, node.items[index], item);
      else node.add(doc.createNode(item));
    });
    node.items.splice(value.length);
    return node;
  }
  if (value !== null && typeof value === 'object') {
    if (!isMap(node)) return doc.createNode(value);
    node.items = node.items.filter((pair) => Object.hasOwn(value, keyOf(pair.key)));
    for (const [key, item] of Object.entries(value)) {
      const pair = node.items.find((candidate) => keyOf(candidate.key) === key);
      if (pair) pair.value = reconciled(doc, pair.value, item);
      else node.add(doc.createPair(key, item));
    }
    return node;
  }
  if (isScalar(node)) {
    if (node.value !== value) node.value = value;
    return node;
  }
  return doc.createNode(value);
}

/**
 * The file's text after a save. An existing YAML file is edited through the `yaml` package's
 * Document API: a changed value is replaced where it stands, so every other byte (comments, key
 * order, quoting, spacing) stays as the organisation wrote it; a rule or key added or removed
 * rewrites the document from its tree, comments kept. A JSON file stays JSON (it can hold no
 * comments); a missing or unreadable file is written anew.
 */
export function savedPolicyText(previous: string | null, policy: OrganisationPolicy): string {
  const plain = JSON.parse(JSON.stringify(policy)) as Plain;
  if (previous === null || previous.trim() === '') return policyFileText(policy);
  if (policyFileFormat(previous) === 'json') return `${JSON.stringify(plain, null, 2)}\n`;
  const doc = parseDocument(previous, { keepSourceTokens: false });
  if (doc.errors.length > 0) return policyFileText(policy);
  const edits = splices(previous, doc.contents, plain);
  if (edits !== undefined) {
    return [...edits].sort((a, b) => b.start - a.start).reduce((text, edit) => `${text.slice(0, edit.start)}${edit.text}${text.slice(edit.end)}`, previous);
  }
  doc.contents = reconciled(doc, doc.contents, plain) as typeof doc.contents;
  return doc.toString({ lineWidth: 0, flowCollectionPadding: /[[{] \S/.test(previous) });
}

/** `savedPolicyText`, or the file written anew should the edited text not read back as exactly `policy`. */
export function policyTextToWrite(previous: string | null, policy: OrganisationPolicy, path: string): string {
  const edited = savedPolicyText(previous, policy);
  const reread = parseOrganisationPolicy(edited, path);
  return reread.kind === 'loaded' && isDeepStrictEqual(JSON.parse(JSON.stringify(reread.policy)), JSON.parse(JSON.stringify(policy))) ? edited : policyFileText(policy);
}
