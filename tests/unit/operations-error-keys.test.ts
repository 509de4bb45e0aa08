import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { previewOf } from '../../electron/main/operations/changes/change-preview.ts';
import { kubernetesError } from '../../electron/main/operations/kubernetes/kube-errors.ts';
import { changePreviewSchema } from '../../shared/contract/changes.ts';
import { AppError } from '../../shared/errors.ts';
import { mainLines } from '../../renderer/src/i18n/main-lines.ts';
import { en } from '../../renderer/src/i18n/en.ts';
import { mainErrorText } from '../../renderer/src/i18n/main-error-text.ts';
import { hangul, received, translator } from '../../renderer/src/i18n/main-error-test-support.ts';

// Every AppError the operations, logs, commands and permissions code writes carries a key, so a
// Korean window can show it in Korean (renderer/src/i18n/main-errors-operations.test.ts renders them).
const root = join(import.meta.dirname, '..', '..');
const directories = ['electron/main/operations', 'electron/main/logs', 'electron/main/commands', 'electron/main/permissions'];

/** Deliberate exceptions, by file, with the reason why the message stays English. None today. */
const unkeyed: readonly { file: string; reason: string }[] = [];

function sources(directory: string): string[] {
  return readdirSync(join(root, directory), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(directory, file));
}

interface Site {
  readonly where: string;
  readonly args: readonly ts.Expression[];
}

/** `new AppError(…)` calls, and `super(…)` in classes that extend AppError, with their arguments. */
function appErrorSites(file: string): Site[] {
  const text = readFileSync(join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const sites: Site[] = [];
  const where = (node: ts.Node): string => `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const extendsAppError = (node: ts.Node): boolean => {
    for (let up: ts.Node | undefined = node.parent; up; up = up.parent) {
      if (ts.isClassLike(up)) return (up.heritageClauses ?? []).some((clause) => clause.types.some((type) => type.expression.getText(source) === 'AppError'));
    }
    return false;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && node.expression.getText(source) === 'AppError') sites.push({ where: where(node), args: node.arguments ?? [] });
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword && extendsAppError(node)) sites.push({ where: where(node), args: node.arguments });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

/** The keys a `{ key, params }` argument can name when they are written out (literals, or a choice between literals). */
function literalKeys(argument: ts.Expression): string[] | null {
  const options = ts.isConditionalExpression(argument) ? [argument.whenTrue, argument.whenFalse] : [argument];
  const keys: string[] = [];
  for (const option of options) {
    if (!ts.isObjectLiteralExpression(option)) return null;
    const key = option.properties.find((property): property is ts.PropertyAssignment => ts.isPropertyAssignment(property) && property.name.getText() === 'key');
    if (!key) return null;
    const value = key.initializer;
    if (ts.isStringLiteral(value)) keys.push(value.text);
    else if (ts.isConditionalExpression(value) && ts.isStringLiteral(value.whenTrue) && ts.isStringLiteral(value.whenFalse)) keys.push(value.whenTrue.text, value.whenFalse.text);
    else return null;
  }
  return keys;
}

function hasMessage(path: string): boolean {
  let node: unknown = en.mainErrors;
  for (const part of path.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === 'string';
}

describe("main's operations errors are keyed", () => {
  const sites = directories.flatMap(sources).flatMap(appErrorSites);

  it('the scan finds the AppErrors it is about (multi-line calls included)', () => {
    expect(sites.length).toBeGreaterThan(80);
    expect(sites.some((site) => site.where.startsWith('electron/main/operations/scaling/metrics-server.ts'))).toBe(true);
  });

  it('every new AppError(…) in operations, logs, commands and permissions passes a key', () => {
    const missing = sites.filter((site) => site.args.length < 4 && !unkeyed.some((exception) => site.where.startsWith(exception.file))).map((site) => site.where);
    expect(missing).toEqual([]);
  });

  it('every key written out in main names an English message under mainErrors', () => {
    const unknown = sites.flatMap((site) => {
      const argument = site.args[3];
      const keys = argument === undefined ? null : literalKeys(argument);
      return (keys ?? []).filter((key) => !hasMessage(key)).map((key) => `${site.where}: ${key}`);
    });
    expect(unknown).toEqual([]);
  });
});

describe("main's keyed prose in replies", () => {
  it('every `key:` written out in these directories (errors, limitations, help) names an English message', () => {
    const unknown = directories.flatMap(sources).flatMap((file) => {
      const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
      const found: string[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isPropertyAssignment(node) && node.name.getText(source) === 'key') {
          const value = node.initializer;
          const literals = ts.isStringLiteral(value) ? [value] : ts.isConditionalExpression(value) ? [value.whenTrue, value.whenFalse].filter(ts.isStringLiteral) : [];
          for (const literal of literals) if (literal.text.startsWith('operations.') && !hasMessage(literal.text)) found.push(`${file}: ${literal.text}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
      return found;
    });
    expect(unknown).toEqual([]);
  });
});

describe('Kubernetes API failures, from the real mapper, in a Korean window', () => {
  const korean = translator('ko');
  const english = translator('en');
  const names = ['web 1', '결제', 'café', 'x'];
  for (const status of [401, 403, 404, 409, 410, 400, 422, 429, 500, 503, 418]) {
    it(`HTTP ${status}: Korean with the server's own words, English as main wrote it`, () => {
      for (const name of names) {
        const error = Object.assign(new Error('HTTP-Code'), { code: status, body: JSON.stringify({ reason: 'Forbidden', message: `pods "${name}" is forbidden: User "viewer" cannot delete` }) });
        const mapped = received(kubernetesError(error, `deleting pod team-b/${name}`));
        const shown = mainErrorText(mapped, korean);
        expect(shown).toMatch(hangul);
        expect(shown).toContain(`pods "${name}" is forbidden`);
        expect(mainErrorText(mapped, english)).toBe(mapped.message);
      }
    });
  }
});

describe('a refused change preview, from the real preview builder, in a Korean window', () => {
  const korean = translator('ko');
  const english = translator('en');
  for (const name of ['web-hpa', '결제 hpa', 'ä']) {
    it(`the refusal reads as Korean and keeps "${name}"; English as main wrote it`, async () => {
      const refusals = [
        new AppError('CONFLICT', `Manual scaling is locked while an HPA is active; delete the HPA first. (HPA "${name}" scales default/web.)`, undefined, { key: 'hpaLocked', params: { hpa: name } }),
        kubernetesError(Object.assign(new Error('HTTP-Code'), { code: 422, body: JSON.stringify({ reason: 'Invalid', message: `HorizontalPodAutoscaler "${name}" is invalid` }) }), `previewing HPA default/${name}`),
      ];
      for (const refusal of refusals) {
        const preview = changePreviewSchema.parse(JSON.parse(JSON.stringify(await previewOf('default/deployment/web', () => Promise.reject(refusal)))));
        expect(preview.errors).toEqual([refusal.message]);
        const [shown] = mainLines(preview.errors, preview.errorTexts, korean);
        expect(shown).toMatch(hangul);
        expect(shown).toContain(name);
        expect(mainLines(preview.errors, preview.errorTexts, english)).toEqual([refusal.message]);
      }
    });
  }
});
