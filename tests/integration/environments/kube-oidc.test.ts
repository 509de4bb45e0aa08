import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpsRequest } from 'node:https';
import { promisify } from 'node:util';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { verifyIdToken } from '../../kube-server/oidc.ts';
import { oidcKubeconfig, startOidcIssuer, type OidcIssuer } from '../../support/oidc-issuer.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { waitUntil } from '../operations/tabs-support.ts';
import { startTestCore, type TestCore } from './support/core.ts';
import { dataFiles } from '../../support/data-files.ts';

useTestEnvironment('keyring');
const run = promisify(execFile);

describe('an OIDC kubeconfig user whose id-tokens expire', () => {
  let issuer: OidcIssuer;
  let kube: KubeTestServer;
  let app: TestCore;
  let dir: string;
  const secretsSeen: string[] = [];

  beforeAll(async () => {
    // id-tokens live 6 s (refreshed 3 s before): the test outlives several of them
    issuer = await startOidcIssuer({ idTokenTtlSeconds: 6 });
    kube = await startKubeTestServer({
      nodes: 1,
      oidc: issuer.authentication,
      extraUsers: ['alice', 'bob'].map((name) => ({ name, groups: ['system:authenticated'], auth: 'oidc' as const, rules: [{ verbs: ['get', 'list', 'watch'], resources: ['pods'], namespaces: ['default'] }] })),
    });
    kube.applyDeployment({ name: 'sso', replicas: 2, image: 'nginx:1.27' });
    await kube.waitFor(() => kube.podsOf('default', 'sso').length === 2);
    app = await startTestCore();
    dir = await mkdtemp(join(tmpdir(), 'kiops-oidc-'));
  });
  afterAll(async () => {
    await app?.close();
    await kube?.close();
    await issuer?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const podNames = async (id: string) => {
    const access = await app.core.runtime.kubernetes(id);
    const pods = await access.kubeConfig.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default' });
    return pods.items.map((p) => p.metadata?.name ?? '').filter((n) => n.startsWith('sso-')).sort();
  };
  const storedProvider = async (id: string) => {
    const text = await app.core.secrets.get(`env/${id}/kube-credentials`);
    return (JSON.parse(text ?? '{}') as { context: { authProviderConfig: Record<string, string> } }).context.authProviderConfig;
  };

  /** The status the test API server answers a pod list with this bearer token. */
  const statusWith = (token: string) =>
    new Promise<number>((resolve, reject) => {
      const req = httpsRequest(`${kube.url}/api/v1/namespaces/default/pods`, { ca: kube.caPem, headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });

  it('the test server accepts a valid id-token and refuses expired, forged and foreign ones, as kube-apiserver does', async () => {
    const fresh = issuer.login('bob', 60);
    expect(await statusWith(fresh.idToken)).toBe(200);
    expect(await statusWith(issuer.login('bob', -1).idToken)).toBe(401);
    const [header, payload, signature] = fresh.idToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const reclaimed = (change: Record<string, unknown>) => `${header}.${Buffer.from(JSON.stringify({ ...claims, ...change })).toString('base64url')}.${signature}`;
    expect(await statusWith(reclaimed({ sub: 'alice' }))).toBe(401);
    expect(verifyIdToken({ ...issuer.authentication, clientId: 'another-client' }, fresh.idToken)).toBeUndefined();
    expect(verifyIdToken({ ...issuer.authentication, issuerUrl: 'https://elsewhere.example' }, fresh.idToken)).toBeUndefined();
  });

  it('keeps listing pods across several expiries, and the rotated refresh token is in the keychain afterwards', async () => {
    const first = issuer.login('alice', 2);
    secretsSeen.push(first.idToken, first.refreshToken, issuer.clientSecret);
    const { environments } = await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: oidcKubeconfig(kube, issuer, 'alice', first) }, contexts: ['alice@sso'] });
    const id = environments[0]!.id;
    expect(await app.client.call('environments.testConnection', { id })).toMatchObject({ ok: true, details: { namespace: 'default', pods: 2 } });

    const expected = kube.podsOf('default', 'sso').map((p) => p.metadata.name).sort();
    // one client, used across at least three token lifetimes
    await waitUntil(async () => {
      expect(await podNames(id)).toEqual(expected);
      return issuer.refreshes('alice') >= 3;
    }, 60_000, 'three refreshes of alice');
    expect(issuer.reusedRefreshTokens).toBe(0);

    const stored = await storedProvider(id);
    expect(stored['refresh-token']).toBe(issuer.currentRefreshToken('alice'));
    expect(stored['refresh-token']).not.toBe(first.refreshToken);
    secretsSeen.push(stored['refresh-token'] ?? 'missing', stored['id-token'] ?? 'missing');

    // kubectl (Command Execution) gets a bearer token it can use, not the provider kubectl 1.26+ dropped
    const file = await app.core.runtime.privateKubeconfig(id, dir);
    try {
      const kubectl = await run('kubectl', ['--kubeconfig', file.path, '--cache-dir', join(dir, 'cache'), 'get', 'pods', '-o', 'name'], { env: { PATH: process.env.PATH ?? '', HOME: dir } });
      expect(kubectl.stdout.trim().split('\n').sort()).toEqual(expected.map((name) => `pod/${name}`));
    } finally {
      await file.dispose();
    }
  });

  it('keeps every token out of SQLite, the IPC replies and the logs', async () => {
    expect(secretsSeen.length).toBeGreaterThan(3);
    const stored: string[] = [];
    for (const file of dataFiles(app.dataDir)) stored.push(file.bytes.toString('latin1'));
    const everywhere = [...stored, app.replies.join('\n'), app.logs.join('\n')].join('\n');
    for (const secret of secretsSeen) expect(everywhere).not.toContain(secret);
  });
});
