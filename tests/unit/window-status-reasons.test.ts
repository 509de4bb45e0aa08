import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionTestSchema, type ConnectionTest } from '../../shared/contract/environments.ts';
import type { SecurityReport } from '../../shared/contract/security.ts';
import { ConnectionResolver } from '../../electron/main/connections/connection-resolver.ts';
import { ConnectionTester } from '../../electron/main/connections/connection-tester.ts';
import { MethodProbes } from '../../electron/main/connections/method-probes.ts';
import type { RuntimeAccess } from '../../electron/main/connections/runtime-access.ts';
import type { SshPools } from '../../electron/main/connections/ssh-pools.ts';
import { unavailableVpnGateway } from '../../electron/main/connections/vpn-gateway.ts';
import { analyseCookies } from '../../electron/main/security/checks/cookies.ts';
import { analyseSecurityHeaders } from '../../electron/main/security/checks/headers.ts';
import { tagStateOf } from '../../renderer/src/composables/use-environment-rows.ts';
import { reportMarkdown } from '../../renderer/src/components/security/report-markdown.ts';
import { findingText } from '../../renderer/src/components/security/finding-text.ts';
import { mainErrorText } from '../../renderer/src/i18n/main-error-text.ts';
import { hangul } from '../../renderer/src/i18n/main-error-test-support.ts';
import { cluster, englishWords, paramValues, windows } from './status-reason-support.ts';

// What the window makes of main's reasons: the connection tag's tooltip, the Security tab's
// Markdown export, and a keyed text whose part the window does not know.

let closed: number;
let open: Server;
let openPort: number;

beforeAll(async () => {
  open = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => open.listen(0, '127.0.0.1', () => resolve()));
  openPort = (open.address() as { port: number }).port;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  closed = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(async () => {
  await new Promise((resolve) => open.close(resolve));
});

/** The connection test main answers for an API server on `port`, as the window receives it. */
async function tested(name: string, port: number): Promise<ConnectionTest> {
  const resolver = new ConnectionResolver(new MethodProbes({ ssh: {} as SshPools, vpn: unavailableVpnGateway('none'), timeoutMs: 20_000 }));
  // Past the probe the test would read the cluster: a refusal there is a failure the tag shows too.
  const runtime = { kubernetes: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) } as unknown as RuntimeAccess;
  return connectionTestSchema.parse(JSON.parse(JSON.stringify(await new ConnectionTester(runtime, resolver).test(cluster(name, port)))));
}

describe('the connection tag tooltip in the window language', () => {
  it.each(['prod-east', '운영 클러스터'])('an API server that refuses, for "%s": Korean in a Korean window, main\'s English in an English one', async (name) => {
    const outcome = await tested(name, closed);
    expect(outcome.state).toBe('error');
    if (outcome.state !== 'error') return;
    const korean = tagStateOf(outcome, windows.ko).reason ?? '';
    expect(korean).toMatch(hangul);
    expect(korean).toContain(`127.0.0.1:${closed}`);
    expect(englishWords(korean, [`127.0.0.1:${closed}`, 'ECONNREFUSED'])).toEqual([]);
    expect(tagStateOf(outcome, windows.en).reason).toBe(outcome.error.message);
  });

  it('a chosen method: the tooltip says why in Korean; the English stays main\'s', async () => {
    const resolver = new ConnectionResolver(new MethodProbes({ ssh: {} as SshPools, vpn: unavailableVpnGateway('none'), timeoutMs: 20_000 }));
    const resolution = await resolver.resolve(cluster('dev', openPort));
    const outcome = connectionTestSchema.parse({ state: 'connected', ok: true, method: resolution.method, reason: resolution.reason, reasonText: resolution.reasonText, latencyMs: 1, attempts: resolution.attempts, details: {} });
    const korean = tagStateOf(outcome, windows.ko).reason ?? '';
    expect(korean).toMatch(/^자동으로 직접 방식을 선택했습니다/);
    expect(englishWords(korean, [`127.0.0.1:${openPort}`])).toEqual([]);
    expect(tagStateOf(outcome, windows.en).reason).toBe(resolution.reason);
    expect(resolution.reason).toMatch(/^Auto chose Direct, first in priority and healthy: 127\.0\.0\.1:\d+ accepted a connection in \d+ ms\.$/);
  });
});

describe('a keyed text whose part the window does not know', () => {
  it('falls back to main\'s English as a whole, never to a bare key', () => {
    const text = { key: 'statusReasons.choice.autoFirst', parts: { method: [{ key: 'statusReasons.method.direct' }], reason: [{ key: 'statusReasons.probe.fromANewerMain' }] } };
    expect(mainErrorText({ message: 'Auto chose Direct, first in priority and healthy: new', text }, windows.ko)).toBe('Auto chose Direct, first in priority and healthy: new');
    expect(paramValues(text)).toEqual([]);
  });
});

const targets = ['https://shop.example.com/', 'http://127.0.0.1:8080/가게'];

describe('the Security tab\'s Markdown export in the window language', () => {
  function report(targetUrl: string): SecurityReport {
    const findings = [
      ...analyseSecurityHeaders({ path: '/', method: 'GET', status: 200, headers: {}, body: '' }),
      ...analyseCookies([{ path: '/', method: 'GET', status: 200, headers: { 'set-cookie': ['session=s3cr3t; Path=/'] }, body: '' }]),
    ];
    const counts = { info: 0, low: 0, medium: 0, high: 0 };
    for (const finding of findings) counts[finding.severity] += 1;
    return { scanId: 's1', targetUrl, profile: 'standard', startedAt: '2026-12-05T21:00:00.000Z', durationMs: 1200, requests: 7, endReason: 'completed', counts, findings };
  }

  it.each(targets)('English for %s is the report main\'s English always made', (target) => {
    const current = report(target);
    const expected = [`# DAST report: ${target}`, '', '- Started: 2026-12-05T21:00:00.000Z', '- Profile: standard', '- Requests: 7 (completed)', `- Findings: high ${current.counts.high}, medium ${current.counts.medium}, low ${current.counts.low}, info ${current.counts.info}`, ''];
    const order = ['high', 'medium', 'low', 'info'];
    for (const finding of [...current.findings].sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity))) {
      expected.push(`## [${finding.severity.toUpperCase()}] ${finding.title}`, '', `Evidence: ${finding.evidence}`, '', `Remediation: ${finding.remediation}`, '');
    }
    expect(reportMarkdown(current, windows.en)).toBe(expected.join('\n'));
  });

  it.each(targets)('Korean for %s: headings, labels and each finding in Korean', (target) => {
    const current = report(target);
    expect(current.findings.length).toBeGreaterThan(2);
    const markdown = reportMarkdown(current, windows.ko);
    const lines = markdown.split('\n');
    expect(lines[0]).toBe(`# DAST 보고서: ${target}`);
    expect(lines.slice(2, 6)).toEqual(['- 시작: 2026-12-05T21:00:00.000Z', '- 프로필: 표준', '- 요청: 7건(완료)', `- 발견 사항: 높음 ${current.counts.high}, 중간 ${current.counts.medium}, 낮음 ${current.counts.low}, 정보 ${current.counts.info}`]);
    for (const finding of current.findings) {
      expect(markdown).toContain(`] ${findingText(finding, 'title', windows.ko)}\n`);
      expect(markdown).toContain(`증거: ${findingText(finding, 'evidence', windows.ko)}\n`);
      expect(markdown).toContain(`조치 방법: ${findingText(finding, 'remediation', windows.ko)}\n`);
    }
    // What is left once main's finding texts and the target are taken out: only Korean labels.
    const quoted = [target, '2026-12-05T21:00:00.000Z', ...current.findings.flatMap((finding) => (['title', 'evidence', 'remediation'] as const).map((field) => findingText(finding, field, windows.ko)))];
    expect(englishWords(markdown, quoted)).toEqual([]);
    expect(markdown).not.toMatch(/Evidence|Remediation|Started|Profile|Requests|Findings|\[HIGH\]|\[MEDIUM\]|\[LOW\]/);
  });
});
