import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/i18n/en.ts';

// Every error main writes reaches the window as a key with parameters (so a Korean window can
// show it in Korean), every key the code names is an English message, and every English message
// of the per-domain files is used. One scan over all of electron/main: a new folder is covered
// the day it is created. The per-domain tests (main-errors-*.test.ts) render the messages.

const root = join(import.meta.dirname, '..', '..');
const mainFolder = 'electron/main';
const domains = ['connections', 'operations', 'environments'] as const;

/** `new AppError(` calls that deliberately carry no key, by file, with the reason. None today. */
const unkeyed: Record<string, string> = {};

function sources(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(folder, file));
}

/** A message key: the value of a `key:` property or a `key` constant (directly or through a ternary). */
function namesKey(node: ts.Node): boolean {
  let parent = node.parent;
  while (ts.isConditionalExpression(parent) || ts.isParenthesizedExpression(parent)) parent = parent.parent;
  return (ts.isPropertyAssignment(parent) || ts.isVariableDeclaration(parent)) && parent.name.getText() === 'key';
}

const isDomainKey = (text: string): boolean => domains.some((domain) => text.startsWith(`${domain}.`));

interface Found {
  readonly calls: { where: string; keyed: boolean }[];
  readonly keys: { where: string; key: string; prefix: boolean }[];
}

/** `new AppError(…)` calls and `super(…)` in classes that extend AppError; the keys written out. */
function scan(path: string, text = readFileSync(join(root, path), 'utf8')): Found {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: Found = { calls: [], keys: [] };
  const where = (node: ts.Node) => `${path}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  const extendsAppError = (node: ts.Node): boolean => {
    for (let up: ts.Node | undefined = node.parent; up; up = up.parent) {
      if (ts.isClassLike(up)) return (up.heritageClauses ?? []).some((clause) => clause.types.some((type) => type.expression.getText(source) === 'AppError'));
    }
    return false;
  };
  const keyed = (args: readonly ts.Expression[]): boolean => {
    const text = args[3];
    return text !== undefined && !(ts.isIdentifier(text) && text.text === 'undefined');
  };
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && node.expression.getText(source) === 'AppError') found.calls.push({ where: where(node), keyed: keyed(node.arguments ?? []) });
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword && extendsAppError(node)) found.calls.push({ where: where(node), keyed: keyed(node.arguments) });
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && namesKey(node) && (isDomainKey(node.text) || node.text in en.mainErrors)) {
      found.keys.push({ where: where(node), key: node.text, prefix: false });
    }
    if (ts.isTemplateExpression(node) && isDomainKey(node.head.text) && namesKey(node)) {
      found.keys.push({ where: where(node), key: node.head.text.replace(/\.[^.]*$/, ''), prefix: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const scanned = sources(mainFolder).map((path) => scan(path));
const calls = scanned.flatMap((found) => found.calls);
const keys = scanned.flatMap((found) => found.keys);

type Tree = { [key: string]: string | Tree };

function at(path: string): string | Tree | undefined {
  return path.split('.').reduce<string | Tree | undefined>((node, part) => (typeof node === 'object' ? node[part] : undefined), en.mainErrors as Tree);
}

function leaves(tree: Tree, prefix: string): string[] {
  return Object.entries(tree).flatMap(([name, value]) => (typeof value === 'string' ? [`${prefix}.${name}`] : leaves(value, `${prefix}.${name}`)));
}

describe("main's errors are keyed", () => {
  it('finds the calls it checks in every folder of main (multi-line ones and AppError subclasses too)', () => {
    expect(calls.length).toBeGreaterThan(280);
    for (const folder of ['connections', 'operations', 'environments', 'audit', 'secrets', 'storage', 'catalog', 'logs', 'commands', 'permissions']) {
      expect(calls.some((call) => call.where.startsWith(`${mainFolder}/${folder}/`)), folder).toBe(true);
    }
  });

  it('sees a multi-line call without a key, and an AppError subclass passing none', () => {
    const sample = "throw new AppError(\n  'CONFLICT',\n  `x`,\n);\nthrow new AppError('CONFLICT', 'y', undefined, { key: 'k' });\nclass Gone extends AppError {\n  constructor() {\n    super('NOT_FOUND', 'gone');\n  }\n}\n";
    expect(scan('sample.ts', sample).calls.filter((call) => !call.keyed).map((call) => call.where)).toEqual(['sample.ts:1', 'sample.ts:8']);
  });

  it('every new AppError( passes a key (4th argument)', () => {
    const missing = calls.filter((call) => !call.keyed && !Object.keys(unkeyed).some((place) => call.where.startsWith(place)));
    expect(missing.map((call) => call.where)).toEqual([]);
  });

  it('every key named in the code is an English message; every key prefix a group of them', () => {
    const wrong = keys.filter(({ key, prefix }) => typeof at(key) !== (prefix ? 'object' : 'string')).map(({ where, key, prefix }) => `${where}: ${key}${prefix ? '.*' : ''}`);
    expect(wrong).toEqual([]);
  });

  it.each(domains)('every English %s message is used by the code', (domain) => {
    const used = (key: string) => keys.some((found) => (found.prefix ? key.startsWith(`${found.key}.`) : found.key === key));
    const unused = leaves(en.mainErrors[domain] as Tree, domain).filter((key) => !used(key));
    expect(unused).toEqual([]);
  });
});
