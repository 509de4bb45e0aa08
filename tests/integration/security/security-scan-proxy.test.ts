import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { lookup } from 'node:dns/promises';
import type { AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type KiopsClient } from '../../../shared/contract/client.ts';
import type { StreamEnd } from '../../../shared/contract/envelope.ts';
import type { SecurityScanEvent } from '../../../shared/contract/security.ts';
import { createKiopsCore, type KiopsCore } from '../../../electron/main/composition.ts';
import { proxyVariableNames } from '../../../electron/main/environments/kubeconfig/proxy-environment.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { MemorySecretStore } from '../../../electron/main/secrets/memory-secret-store.ts';
import { createTestPki } from '../../kube-server/tls.ts';
import { startConnectProxy, type ConnectProxy } from '../environments/support/connect-proxy.ts';
import { flawedHandler, startSite, type TestSite } from './test-servers.ts';

// The DAST scan honours the workstation's HTTPS_PROXY/HTTP_PROXY/NO_PROXY as the Kubernetes
// client does, through a real forward proxy process. "dast.kiops.test" resolves nowhere: only
// the proxy (which dials every target at 127.0.0.1) can reach it.

const sender = { transport: 'memory', origin: 'security-proxy-test' } as const;

interface ScanRun {
  events: SecurityScanEvent[];
  end: Promise<StreamEnd>;
}

function scan(client: KiopsClient, targetUrl: string): ScanRun {
  const events: SecurityScanEvent[] = [];
  const end = new Promise<StreamEnd>((resolve) => {
    client.subscribe('security.scan', { targetUrl, confirmation: true, profile: 'standard' }, { event: (event) => events.push(event), end: resolve });
  });
  return { events, end };
}

const findingIdsOf = (run: ScanRun) => run.events.flatMap((event) => (event.kind === 'finding' ? [event.finding.id] : [])).sort();
const summaryOf = (run: ScanRun) => run.events.flatMap((event) => (event.kind === 'ended' ? [event.summary] : []))[0];

describe('security.scan through the workstation proxy', () => {
  let dataDir: string;
  let core: KiopsCore;
  let client: KiopsClient;
  let proxy: ConnectProxy;
  const sites: TestSite[] = [];
  const saved = new Map<string, string | undefined>(proxyVariableNames.map((name) => [name, process.env[name]]));
  const setProxyEnv = (values: Partial<Record<(typeof proxyVariableNames)[number], string>>): void => {
    for (const name of proxyVariableNames) delete process.env[name];
    Object.assign(process.env, values);
  };
  const site = async (host?: string) => {
    const started = await startSite(flawedHandler, 0, host);
    sites.push(started);
    return started;
  };
  const portOf = (s: TestSite) => new URL(s.url).port;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kiops-security-proxy-'));
    core = await createKiopsCore({ dataDir, shell: 'browser', version: 'test', secrets: new MemorySecretStore(), logger: { error: () => {}, warn: () => {} }, securityScanBounds: { requestTimeoutMs: 5_000, deadlineMs: 30_000 } });
    core.senderPolicy.allow((s) => s.origin === sender.origin);
    client = createClient(createMemoryTransport(core.router, sender));
    proxy = await startConnectProxy();
  });
  afterEach(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await Promise.all(sites.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await core?.close();
    await proxy?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const variable of ['HTTP_PROXY', 'http_proxy'] as const) {
    it(`sends every request of an http:// scan through the proxy named by ${variable}, with the same findings as a direct scan`, async () => {
      const direct = await site();
      setProxyEnv({});
      const directRun = scan(client, direct.url);
      expect(await directRun.end).toEqual({ reason: 'done' });

      const target = await site();
      const targetUrl = `http://dast.kiops.test:${portOf(target)}/`;
      setProxyEnv({ [variable]: proxy.url, NO_PROXY: 'localhost,.corp.example,10.0.0.0/8' });
      const forwardedBefore = proxy.forwarded.length;
      const proxiedRun = scan(client, targetUrl);
      expect(await proxiedRun.end).toEqual({ reason: 'done' });

      const forwarded = proxy.forwarded.slice(forwardedBefore);
      expect(summaryOf(proxiedRun)).toMatchObject({ endReason: 'completed', targetUrl });
      expect(forwarded.length).toBe(summaryOf(proxiedRun)?.requests);
      expect(forwarded.every((line) => line.includes(` http://dast.kiops.test:${portOf(target)}/`))).toBe(true);
      expect(target.requests.length).toBe(forwarded.length);
      // The direct scan's 127.0.0.1 is exempt from the plain-HTTP finding; a named host is not.
      expect(findingIdsOf(proxiedRun)).toEqual([...findingIdsOf(directRun), 'transport.plain-http'].sort());
      expect(findingIdsOf(proxiedRun)).toContain('paths:/.git/config');
    });
  }

  it('opens a CONNECT tunnel through HTTPS_PROXY for an https:// target and speaks TLS to the target by its own name', async () => {
    const pki = await createTestPki([]);
    const namesSeen: string[] = [];
    const tlsSite: HttpsServer = createHttpsServer(
      {
        cert: pki.server.certPem,
        key: pki.server.keyPem,
        SNICallback: (name, done) => {
          namesSeen.push(name);
          done(null);
        },
      },
      (_request, response) => response.end('ok'),
    );
    await new Promise<void>((resolve) => tlsSite.listen(0, '127.0.0.1', resolve));
    try {
      const port = (tlsSite.address() as AddressInfo).port;
      setProxyEnv({ HTTPS_PROXY: proxy.url, HTTP_PROXY: 'http://127.0.0.1:1', NO_PROXY: '.corp.example' });
      const tunnelsBefore = proxy.tunnels.length;
      const run = scan(client, `https://dast.kiops.test:${port}/`);
      await run.end;
      expect(proxy.tunnels.slice(tunnelsBefore)).toContain(`dast.kiops.test:${port}`);
      // The test CA is not trusted by the app, so the scan stops at the certificate; what matters
      // is that TLS ran end to end through the tunnel and named the target, not the proxy.
      expect(namesSeen).toContain('dast.kiops.test');
    } finally {
      tlsSite.closeAllConnections();
      await new Promise<void>((resolve) => tlsSite.close(() => resolve()));
    }
  });

  describe('NO_PROXY, matched by the same code as for the Kubernetes client', async () => {
    // The machine's own name: the Kubernetes client's rules never proxy "localhost" or loopback
    // addresses, so NO_PROXY is tried on a name. Whatever local address the name resolves to
    // (127.0.0.1, Debian's 127.0.1.1, the machine's IP), the site listens on every address.
    const host = hostname().toLowerCase();
    const resolved = await lookup(host).catch((error: unknown) => error as Error);
    const unusable = resolved instanceof Error ? `this machine's name "${host}" does not resolve (${resolved.message})` : undefined;
    const requireName = (): void => {
      if (unusable) throw new Error(`NO_PROXY cases need a resolvable machine name: ${unusable}`);
    };

    for (const noProxy of [host, `${host}:PORT`, `.corp.example, ${host.toUpperCase()}`, '*']) {
      it(`NO_PROXY="${noProxy}" scans directly, the proxy sees nothing`, async () => {
        requireName();
        const target = await site('0.0.0.0');
        setProxyEnv({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: noProxy.replace('PORT', portOf(target)) });
        const before = proxy.forwarded.length + proxy.tunnels.length;
        const run = scan(client, `http://${host}:${portOf(target)}/`);
        expect(await run.end).toEqual({ reason: 'done' });
        expect(summaryOf(run)).toMatchObject({ endReason: 'completed' });
        expect(target.requests.length).toBe(summaryOf(run)?.requests);
        expect(proxy.forwarded.length + proxy.tunnels.length).toBe(before);
      });
    }

    it(`NO_PROXY="${host}:1" (another port) does not match: the proxy carries the scan`, async () => {
      requireName();
      const target = await site('0.0.0.0');
      setProxyEnv({ HTTP_PROXY: proxy.url, NO_PROXY: `${host}:1` });
      const before = proxy.forwarded.length;
      const run = scan(client, `http://${host}:${portOf(target)}/`);
      expect(await run.end).toEqual({ reason: 'done' });
      expect(proxy.forwarded.length - before).toBe(summaryOf(run)?.requests);
    });
  });
});
