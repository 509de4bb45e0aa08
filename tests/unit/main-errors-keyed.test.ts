import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/i18n/en.ts';

// Every error main's connections, secrets, storage, IPC and web code writes reaches the window
// as a key with parameters, and every key it names exists in the English messages.

const directories = ['electron/main/connections', 'electron/main/secrets', 'electron/main/storage', 'electron/main/ipc', 'electron/main/web'];

/** `new AppError(` calls that deliberately carry no key, with the reason. None today. */
const unkeyed: Record<string, string> = {};

function sources(): string[] {
  return directories.flatMap((directory) =>
    readdirSync(directory, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .map((file) => join(directory, file)),
  );
}

/** A message key: the value of a `key:` property or a `key` constant (directly or through a ternary). */
function namesKey(node: ts.Node): boolean {
  let parent = node.parent;
  while (ts.isConditionalExpression(parent) || ts.isParenthesizedExpression(parent)) parent = parent.parent;
  return (ts.isPropertyAssignment(parent) || ts.isVariableDeclaration(parent)) && parent.name.getText() === 'key';
}

interface Found {
  readonly calls: { where: string; keyed: boolean }[];
  readonly keys: { where: string; key: string; prefix: boolean }[];
}

function scan(file: string): Found {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Found = { calls: [], keys: [] };
  const where = (node: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'AppError') {
      const text = node.arguments?.[3];
      found.calls.push({ where: where(node), keyed: text !== undefined && !(ts.isIdentifier(text) && text.text === 'undefined') });
    }
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text.startsWith('connections.') && namesKey(node)) {
      found.keys.push({ where: where(node), key: node.text, prefix: false });
    }
    if (ts.isTemplateExpression(node) && node.head.text.startsWith('connections.') && namesKey(node)) {
      found.keys.push({ where: where(node), key: node.head.text.replace(/\.[^.]*$/, ''), prefix: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const scanned = sources().map(scan);
const calls = scanned.flatMap((found) => found.calls);
const keys = scanned.flatMap((found) => found.keys);

type Tree = { [key: string]: string | Tree };

function at(path: string): string | Tree | undefined {
  return path.split('.').reduce<string | Tree | undefined>((node, part) => (typeof node === 'object' ? node[part] : undefined), en.mainErrors as Tree);
}

function leaves(tree: Tree, prefix: string): string[] {
  return Object.entries(tree).flatMap(([name, value]) => (typeof value === 'string' ? [`${prefix}.${name}`] : leaves(value, `${prefix}.${name}`)));
}

describe("main's connection errors are keyed", () => {
  it('finds the calls it checks (multi-line ones too)', () => {
    expect(calls.length).toBeGreaterThan(100);
    expect(calls.filter((call) => call.where.includes('ssh-errors.ts')).length).toBeGreaterThanOrEqual(5);
  });

  it('every new AppError( passes a key (4th argument)', () => {
    const missing = calls.filter((call) => !call.keyed && !Object.keys(unkeyed).some((place) => call.where.startsWith(place)));
    expect(missing.map((call) => call.where)).toEqual([]);
  });

  it('every key named in the code is an English message; every key prefix a group of them', () => {
    for (const { where, key, prefix } of keys) {
      const message = at(key);
      if (prefix) expect(typeof message, `${where}: ${key}.*`).toBe('object');
      else expect(typeof message, `${where}: ${key}`).toBe('string');
    }
  });

  it('every English connections message is used by the code', () => {
    const used = (key: string) => keys.some((found) => (found.prefix ? key.startsWith(`${found.key}.`) : found.key === key));
    const unused = leaves(en.mainErrors.connections as Tree, 'connections').filter((key) => !used(key));
    expect(unused).toEqual([]);
  });
});
