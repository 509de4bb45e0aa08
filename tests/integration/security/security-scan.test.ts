import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type KiopsClient } from '../../../shared/contract/client.ts';
import type { StreamEnd } from '../../../shared/contract/envelope.ts';
import type { SecurityScanEvent, SecurityScanSummary } from '../../../shared/contract/security.ts';
import { createKiopsCore, type KiopsCore } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { MemorySecretStore } from '../../../electron/main/secrets/memory-secret-store.ts';
import { cleanHandler, flawedHandler, softNotFoundHandler, startSite, type TestSite } from './test-servers.ts';

// The DAST scan through the contract, against HTTP servers on 127.0.0.1 only.

const sender = { transport: 'memory', origin: 'security-test' } as const;

interface ScanRun {
  events: SecurityScanEvent[];
  end: Promise<StreamEnd>;
  cancel: () => void;
}

function scan(client: KiopsClient, targetUrl: string, extra: { profile?: 'passive' | 'standard'; maxRequests?: number } = {}): ScanRun {
  const events: SecurityScanEvent[] = [];
  let cancel = () => {};
  const end = new Promise<StreamEnd>((resolve) => {
    cancel = client.subscribe('security.scan', { targetUrl, confirmation: true, ...extra }, { event: (event) => events.push(event), end: resolve });
  });
  return { events, end, cancel };
}

const findingsOf = (run: ScanRun) => run.events.flatMap((event) => (event.kind === 'finding' ? [event.finding] : []));
const summaryOf = (run: ScanRun): SecurityScanSummary | undefined => run.events.flatMap((event) => (event.kind === 'ended' ? [event.summary] : []))[0];

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * After a scan ended: once the server has answered everything in flight, a scanner still
 * running would send its next request right away; none may arrive in the time three more
 * answers would take.
 */
async function expectNoMoreRequests(target: TestSite): Promise<void> {
  await waitFor(() => target.active() === 0, 'the requests in flight answered');
  const seen = target.requests.length;
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  expect(target.requests.slice(seen)).toEqual([]);
  expect(target.active()).toBe(0);
}

describe('security.scan against local servers', () => {
  let dataDir: string;
  let core: KiopsCore;
  let client: KiopsClient;
  const sites: TestSite[] = [];
  const site = async (...args: Parameters<typeof startSite>) => {
    const started = await startSite(...args);
    sites.push(started);
    return started;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kiops-security-'));
    core = await createKiopsCore({ dataDir, shell: 'browser', version: 'test', secrets: new MemorySecretStore(), logger: { error: () => {}, warn: () => {} }, securityScanBounds: { requestTimeoutMs: 1_000, deadlineMs: 4_000 } });
    core.senderPolicy.allow((s) => s.origin === sender.origin);
    client = createClient(createMemoryTransport(core.router, sender));
  });

  afterEach(async () => {
    await Promise.all(sites.splice(0).map((s) => s.close()));
  });

  afterAll(async () => {
    await core?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds every deliberate flaw, without echoing the cookie value, and audits the scan', async () => {
    const flawed = await site(flawedHandler);
    const run = scan(client, flawed.url);
    expect(await run.end).toEqual({ reason: 'done' });
    const findings = findingsOf(run);
    const ids = findings.map((finding) => finding.id);
    expect(ids).toEqual(expect.arrayContaining([
      'headers.csp-missing', 'headers.nosniff-missing', 'headers.framing-missing', 'headers.referrer-policy-missing', 'headers.permissions-policy-missing',
      'cookies.flags:session', 'banner.x-powered-by', 'paths:/.git/config', 'listing:/files/', 'reflection:q', 'cors.reflected-origin-credentials', 'methods.risky', 'errors.stack-trace:/error',
    ]));
    expect(JSON.stringify(run.events)).not.toContain('top-secret-session-value');
    const summary = summaryOf(run);
    expect(summary).toMatchObject({ endReason: 'completed', targetUrl: flawed.url });
    expect(summary?.requests).toBe(flawed.requests.length);
    expect(flawed.peakConcurrency()).toBeLessThanOrEqual(2);
    expect(new Set(flawed.requests.map((r) => r.method))).toEqual(new Set(['GET', 'OPTIONS']));
    expect(run.events.some((event) => event.kind === 'progress')).toBe(true);

    const rows = await client.call('audit.list', {});
    const row = rows.rows.find((r) => r.action === 'security.scan' && r.target === new URL(flawed.url).origin);
    expect(row).toMatchObject({ outcome: 'success' });
    expect(row?.details).toMatchObject({ counts: summary?.counts, requests: summary?.requests });

    const history = await client.call('security.history', {});
    expect(history[0]?.scanId).toBe(summary?.scanId);
    const report = await client.call('security.report', { scanId: summary?.scanId ?? '' });
    expect(report.findings.map((finding) => finding.id).sort()).toEqual([...ids].sort());
  });

  it('finds nothing above info on a well-configured server', async () => {
    const clean = await site(cleanHandler);
    const run = scan(client, clean.url);
    expect(await run.end).toEqual({ reason: 'done' });
    expect(findingsOf(run).filter((finding) => finding.severity !== 'info')).toEqual([]);
  });

  it('reports no sensitive file or listing on a server answering 200 with the same page everywhere', async () => {
    const soft = await site(softNotFoundHandler);
    const run = scan(client, soft.url);
    await run.end;
    const ids = findingsOf(run).map((finding) => finding.id);
    expect(ids.filter((id) => id.startsWith('paths:') || id.startsWith('listing:'))).toEqual([]);
    expect(soft.requests.some((r) => r.path === '/.git/config')).toBe(true);
  });

  it('stops at maxRequests, counted by the server', async () => {
    const flawed = await site(flawedHandler);
    const run = scan(client, flawed.url, { maxRequests: 5 });
    await run.end;
    expect(flawed.requests.length).toBe(5);
    expect(summaryOf(run)).toMatchObject({ endReason: 'max-requests', requests: 5 });
  });

  it('stops at the total deadline on a slow server, and sends nothing after', async () => {
    // 200 requests answered after 700 ms each, two at a time, take longer than the test may run
    const slow = await site(flawedHandler, 700);
    const run = scan(client, slow.url, { maxRequests: 200 });
    await run.end;
    expect(summaryOf(run)?.endReason).toBe('deadline');
    await expectNoMoreRequests(slow);
  });

  it('does not follow a redirect to another host, and reports it', async () => {
    const other = await site(cleanHandler);
    const redirecting = await site((_request, response) => response.writeHead(302, { Location: other.url.replace('127.0.0.1', 'localhost') }).end());
    const run = scan(client, redirecting.url, { profile: 'passive' });
    await run.end;
    expect(findingsOf(run).map((finding) => finding.id)).toContain('transport.offsite-redirect:/');
    expect(other.requests).toEqual([]);
  });

  it('stops sending when the operator cancels', async () => {
    const slow = await site(flawedHandler, 300);
    const run = scan(client, slow.url);
    await waitFor(() => slow.requests.length >= 2, 'the scan under way');
    run.cancel();
    const atCancel = slow.requests.length;
    expect(await run.end).toEqual({ reason: 'cancelled' });
    await expectNoMoreRequests(slow);
    // at most what was already on its way (two at a time) arrives after the cancel
    expect(slow.requests.length).toBeLessThanOrEqual(atCancel + 2);
  });

  it('refuses a scan without the authorisation confirmation or with a non-HTTP URL', async () => {
    const refused = await new Promise<StreamEnd>((resolve) => client.subscribe('security.scan', { targetUrl: 'http://127.0.0.1:1/', confirmation: false as true }, { event: () => {}, end: resolve }));
    expect(refused).toMatchObject({ reason: 'error', error: { code: 'INVALID_INPUT' } });
    const ftp = await new Promise<StreamEnd>((resolve) => client.subscribe('security.scan', { targetUrl: 'ftp://127.0.0.1/', confirmation: true }, { event: () => {}, end: resolve }));
    expect(ftp).toMatchObject({ reason: 'error', error: { code: 'INVALID_INPUT' } });
  });
});
