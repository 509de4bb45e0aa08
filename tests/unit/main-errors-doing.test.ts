import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doing, kubernetesError } from '../../electron/main/operations/kubernetes/kube-errors.ts';
import { KubernetesLogs } from '../../electron/main/logs/kubernetes-logs.ts';
import { kubeDoingPhrases, type DoingKey } from '../../shared/kube-doing.ts';
import type { AppError } from '../../shared/errors.ts';
import { ko } from '../../renderer/src/i18n/ko.ts';
import { mainErrorText, renderedParams } from '../../renderer/src/i18n/main-error-text.ts';
import { appErrorOf, englishProse, expectShownInBothLanguages, hangul, received, translator } from '../../renderer/src/i18n/main-error-test-support.ts';

// What the app was doing when a Kubernetes request failed ("… while deleting pod shop/web-1 …")
// reaches a Korean window as a Korean phrase: every phrase of the table, through the real mapper and
// through real services talking to a real (local) HTTP server, and no call left passing English.

const korean = translator('ko');
const english = translator('en');
const keys = Object.keys(kubeDoingPhrases) as DoingKey[];
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string).sort();

// Names as operators write them: spaces, Hangul, accents, digits, one letter; counts.
const names = ['payments api', '결제-서비스', 'web-ä', 'svc_7', 'a'];
const paramsOf = (key: DoingKey, round: number): Record<string, string | number> =>
  Object.fromEntries(placeholders(kubeDoingPhrases[key]).map((name, index) => [name, name === 'replicas' ? round * 3 + index : `team-${round}/${names[(round + index) % names.length] ?? 'x'}`]));
const phraseOf = (key: DoingKey, params: Record<string, string | number>) => (doing as (key: DoingKey, params: Record<string, string | number>) => ReturnType<typeof doing>)(key, params);

/** The failures whose English names what the app was doing, as client-node reports them. */
const failures: [string, (name: string) => unknown, string][] = [
  ['credentials refused (401)', (name) => Object.assign(new Error('HTTP-Code'), { code: 401, body: JSON.stringify({ reason: 'Unauthorized', message: `token for ${name} expired` }) }), 'The cluster did not accept the credentials while'],
  ['server unavailable (503)', (name) => Object.assign(new Error('HTTP-Code'), { code: 503, body: JSON.stringify({ reason: 'ServiceUnavailable', message: `etcd ${name} is down` }) }), 'The API server could not answer while'],
  ['unexpected answer (418)', (name) => Object.assign(new Error('HTTP-Code'), { code: 418, body: `teapot ${name}` }), 'Unexpected answer while'],
  ['deadline (TimeoutError)', () => new DOMException('The operation timed out.', 'TimeoutError'), 'The API server did not answer in time while'],
  ['unreachable (ECONNREFUSED)', (name) => new Error(`connect ECONNREFUSED 127.0.0.1:6443 (${name})`), 'Cannot reach the Kubernetes API server while'],
];

describe('every "doing" phrase, in both languages', () => {
  it('the table has the phrases main uses', () => {
    expect(keys.length).toBeGreaterThan(40);
  });

  it.each(keys)('%s: Korean with the same names, no English prose; English exactly main\'s phrase', (key) => {
    const koreanPhrase = (ko.mainErrors.doing as Record<string, string | undefined>)[key];
    expect(koreanPhrase, key).toMatch(hangul);
    expect(placeholders(koreanPhrase ?? '')).toEqual(placeholders(kubeDoingPhrases[key]));
    for (const name of placeholders(kubeDoingPhrases[key])) expect(['detail', 'doing', 'doingKey', 'why', 'whyKey'], `${key} names {${name}}`).not.toContain(name);
    for (let round = 0; round < names.length; round++) {
      const params = paramsOf(key, round);
      expect(englishProse(korean.render(`mainErrors.doing.${key}`, params), params), key).toEqual([]);
      expect(english.render(`mainErrors.doing.${key}`, params), key).toBe(phraseOf(key, params).english);
    }
  });

  it.each(keys)('%s: every failure that names it reads fully in Korean, main\'s English unchanged', (key) => {
    for (let round = 0; round < names.length; round++) {
      const params = paramsOf(key, round);
      const phrase = phraseOf(key, params);
      const koreanPhrase = korean.render(`mainErrors.doing.${key}`, params);
      for (const [label, make, start] of failures) {
        const error = kubernetesError(make(names[round] ?? 'x'), phrase);
        expect(error.message, label).toMatch(new RegExp(`^${start} ${phrase.english.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[:.]`));
        expectShownInBothLanguages(error, 'operations.kube.');
        const window = received(error);
        const shown = mainErrorText(window, korean);
        expect(shown, `${key} ${label}`).toContain(`${koreanPhrase} 중에`);
        expect(englishProse(shown, window.text?.params ?? {}), `${key} ${label}: ${shown}`).toEqual([]);
      }
    }
  });

  it('an unknown phrase (a newer main) falls back to main\'s English, never a bare key', () => {
    const error = kubernetesError(new Error('connect ECONNREFUSED'), { key: 'noSuchPhrase' as DoingKey, params: {}, english: 'doing something new' });
    expect(mainErrorText(received(error), korean)).toBe(error.message);
    expect(renderedParams({ key: 'operations.kube.unreachable', params: { doingKey: 'noSuchPhrase' } }, korean)).toBeUndefined();
  });
});

describe('real services against a real API server that fails, in a Korean window', () => {
  let server: Server;
  let status = 503;
  let deploymentAnswers = false;
  const kubeConfigAt = (port: number) => {
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'u', token: 'not-a-secret' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    return config;
  };
  let access: { kubeConfig: KubeConfig };

  beforeAll(async () => {
    server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (deploymentAnswers && request.url?.includes('/deployments/')) {
        response.end(JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } } } } }));
        return;
      }
      response.statusCode = status;
      response.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: status === 401 ? 'Unauthorized' : 'InternalError', message: `refused ${request.url ?? ''}`, code: status }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    access = { kubeConfig: kubeConfigAt((server.address() as AddressInfo).port) };
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const cases: [string, boolean, (namespace: string, deployment: string) => Promise<unknown>, string][] = [
    ['logs: reading the deployment', false, (namespace, deployment) => new KubernetesLogs(access as never, { namespace, deployment }).pods(), 'reading deployment'],
    ['logs: listing the pods', true, (namespace, deployment) => new KubernetesLogs(access as never, { namespace, deployment }).pods(), 'listing the pods of'],
    ['logs: reading the pod', true, (namespace, deployment) => new KubernetesLogs(access as never, { namespace, deployment }).read({ pod: `${deployment}-1`, previous: false, tailLines: 10 } as never), 'reading pod'],
  ];
  for (const [label, answersDeployment, act, englishPhrase] of cases) {
    for (const code of [401, 500, 503]) {
      it(`${label}, HTTP ${code}: the action in Korean, main's English unchanged`, async () => {
        for (const [namespace, deployment] of [['shop', 'web'], ['team-b', 'api-7']] as const) {
          status = code;
          deploymentAnswers = answersDeployment;
          const error: AppError = await appErrorOf(() => act(namespace, deployment));
          expect(error.message).toContain(`while ${englishPhrase} ${namespace}/`);
          expectShownInBothLanguages(error, 'operations.kube.');
          const shown = mainErrorText(received(error), korean);
          expect(shown).toContain(' 중에 ');
          expect(englishProse(shown, error.text?.params ?? {}), shown).toEqual([]);
        }
      });
    }
  }
});

describe('no Kubernetes request passes English for what it was doing', () => {
  const root = join(import.meta.dirname, '..', '..');
  const files = readdirSync(join(root, 'electron/main'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => join('electron/main', file));

  /** `kubeRequest(x, …)` / `kubernetesError(e, x)` calls whose `x` is a string (literal, template, concatenation). */
  function plainStringCalls(path: string, text: string): { where: string; total: number } {
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    const plain: string[] = [];
    let total = 0;
    const isString = (node: ts.Expression | undefined): boolean =>
      node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node) || (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) || (ts.isParenthesizedExpression(node) && isString(node.expression)));
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ['kubeRequest', 'kubernetesError'].includes(node.expression.text)) {
        total++;
        const phrase = node.expression.text === 'kubeRequest' ? node.arguments[0] : node.arguments[1];
        if (isString(phrase)) plain.push(`${path}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    return { where: plain.join(', '), total };
  }

  it('sees a plain string when one is passed', () => {
    const sample = "kubeRequest(`reading pod ${a}`, () => x);\nkubernetesError(error, 'listing namespaces');\nkubernetesError(error, 'a ' + b);\nkubeRequest(doing('readPod', { pod }), () => x);\n";
    expect(plainStringCalls('sample.ts', sample)).toEqual({ where: 'sample.ts:1, sample.ts:2, sample.ts:3', total: 4 });
  });

  it('every call in electron/main passes a doing(…) phrase', () => {
    const found = files.map((path) => plainStringCalls(path, readFileSync(join(root, path), 'utf8')));
    expect(found.reduce((sum, one) => sum + one.total, 0)).toBeGreaterThan(55);
    expect(found.map((one) => one.where).filter((where) => where !== '')).toEqual([]);
  });
});
