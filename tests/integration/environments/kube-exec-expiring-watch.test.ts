import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { startOidcIssuer, type OidcIssuer } from '../../support/oidc-issuer.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { podTableOf, Recorded, waitUntil } from '../operations/tabs-support.ts';
import { startTestCore, type TestCore } from './support/core.ts';

useTestEnvironment('keyring');

const tokenSeconds = 3;
const watchTimeoutSeconds = 4;
const keepListMs = 120_000;

/**
 * A credential plugin as kubelogin works: every call trades the stored refresh token at the
 * identity provider for a new id-token (which the API server refuses with 401 once its `exp`
 * has passed, as kube-apiserver's OIDC authenticator does), stores the rotated refresh token,
 * prints an ExecCredential with the token's expiry, and appends a line to a count file.
 */
const pluginSource = (node: string) => `#!${node}
const fs = require('node:fs');
(async () => {
  fs.appendFileSync(process.env.CALLS_FILE, 'call\\n');
  const refreshToken = fs.readFileSync(process.env.REFRESH_FILE, 'utf8').trim();
  const response = await fetch(process.env.ISSUER + '/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: process.env.CLIENT_ID, client_secret: process.env.CLIENT_SECRET }),
  });
  const answer = await response.json();
  if (!response.ok) { process.stderr.write('token endpoint: ' + JSON.stringify(answer) + '\\n'); process.exit(4); }
  fs.writeFileSync(process.env.REFRESH_FILE, answer.refresh_token);
  const exp = JSON.parse(Buffer.from(answer.id_token.split('.')[1], 'base64url').toString('utf8')).exp;
  process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: answer.id_token, expirationTimestamp: new Date(exp * 1000).toISOString().replace(/\\.\\d+Z$/, 'Z') } }));
})().catch((error) => { process.stderr.write(String(error) + '\\n'); process.exit(5); });
`;


describe('an exec-plugin user whose tokens expire every few seconds', () => {
  let issuer: OidcIssuer;
  let kube: KubeTestServer;
  let app: TestCore;
  let dir: string;

  beforeAll(async () => {
    issuer = await startOidcIssuer({ idTokenTtlSeconds: tokenSeconds });
    kube = await startKubeTestServer({
      nodes: 1,
      oidc: issuer.authentication,
      extraUsers: [{ name: 'erin', groups: ['system:authenticated'], auth: 'oidc', rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: ['', 'apps'], resources: ['pods', 'deployments', 'replicasets'], namespaces: ['default'] }] }],
    });
    kube.applyDeployment({ name: 'expiring', replicas: 3, image: 'nginx:1.27' });
    await kube.waitFor(() => kube.podsOf('default', 'expiring').filter((pod) => pod.status?.phase === 'Running').length === 3);
    dir = await mkdtemp(join(tmpdir(), 'kiops-exec-expiring-'));
    app = await startTestCore({ podWatchTimeoutSeconds: watchTimeoutSeconds });
  });
  afterAll(async () => {
    await app?.close();
    await kube?.close();
    await issuer?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`keeps a live Pod List for ${keepListMs / 1000} s: the plugin is asked again, the watch resumes, no row lost or duplicated`, { timeout: keepListMs + 240_000 }, async () => {
    const plugin = join(dir, 'kiops-expiring-login');
    await writeFile(plugin, pluginSource(process.execPath));
    await chmod(plugin, 0o755);
    const callsFile = join(dir, 'calls');
    const refreshFile = join(dir, 'refresh-token');
    await writeFile(callsFile, '');
    await writeFile(refreshFile, issuer.login('erin').refreshToken);
    const calls = async () => (await readFile(callsFile, 'utf8')).split('\n').filter(Boolean).length;
    const env = { CALLS_FILE: callsFile, REFRESH_FILE: refreshFile, ISSUER: issuer.issuerUrl, CLIENT_ID: issuer.clientId, CLIENT_SECRET: issuer.clientSecret };
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: eks-like`,
      `  cluster: { server: "${kube.url}", certificate-authority-data: ${Buffer.from(kube.caPem).toString('base64')} }`,
      'users:',
      '- name: erin',
      '  user:',
      '    exec:',
      '      apiVersion: client.authentication.k8s.io/v1',
      `      command: ${plugin}`,
      '      interactiveMode: Never',
      `      env: [${Object.entries(env).map(([k, v]) => `{ name: ${k}, value: "${v}" }`).join(', ')}]`,
      'contexts:',
      '- { name: erin@eks-like, context: { cluster: eks-like, user: erin, namespace: default } }',
      'current-context: erin@eks-like',
      '',
    ].join('\n');
    const { environments } = await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kubeconfig }, contexts: ['erin@eks-like'] });
    const id = environments[0]!.id;

    const watch = new Recorded(app.client, 'pods.watch', { serviceId: `${id}:deployment:default/expiring` });
    try {
      const table = () => podTableOf(watch.events);
      // Failed pods stay listed (as in Kubernetes); the Deployment keeps `count` others running.
      const running = (count: number) => () => {
        const rows = [...table().values()];
        return rows.filter((row) => row.displayStatus === 'Running').length === count && rows.every((row) => row.phase === 'Failed' || row.displayStatus === 'Running');
      };
      await waitUntil(running(3), 60_000, 'the live table of 3 pods');
      const callsAtStart = await calls();
      const startedAt = Date.now();

      // Create, change and delete pods for as long as the list is to stay open; each step waits
      // for the table to show it (a positive signal), so every step crosses token expiries.
      const sizes = [5, 2, 4, 1, 3];
      let step = 0;
      while (Date.now() - startedAt < keepListMs || step < sizes.length) {
        const replicas = sizes[step % sizes.length] ?? 3;
        kube.applyDeployment({ name: 'expiring', replicas, image: 'nginx:1.27' });
        await waitUntil(running(replicas), 60_000, `the table at ${replicas} running pods (step ${step})`);
        const victim = [...table().values()].find((row) => row.displayStatus === 'Running')?.name ?? '';
        kube.setPodPhase('default', victim, 'Failed', 'Evicted', 'test: the node was under memory pressure');
        await waitUntil(() => [...table().values()].some((row) => row.name === victim && row.phase === 'Failed'), 60_000, `${victim} Failed in the table`);
        step += 1;
      }

      // Settle: the Deployment at 3, nothing terminating; then read the server once.
      kube.applyDeployment({ name: 'expiring', replicas: 3, image: 'nginx:1.27' });
      await kube.waitFor(() => {
        const pods = kube.podsOf('default', 'expiring');
        return pods.every((pod) => pod.metadata.deletionTimestamp === undefined) && pods.filter((pod) => pod.status?.phase === 'Running').length === 3;
      }, 60_000, 'the Deployment settled at 3 running pods');
      const final = kube.podsOf('default', 'expiring').map((pod) => ({ uid: pod.metadata.uid ?? '', name: pod.metadata.name, phase: pod.status?.phase ?? '' }));
      // The table must come to show exactly that state (every pod, by uid, with its name and phase):
      // a change lost while a watch was re-established would leave a row stale for good.
      const shown = () => JSON.stringify([...table().values()].map((row) => ({ uid: row.uid, name: row.name, phase: row.phase })).sort((a, b) => a.uid.localeCompare(b.uid)));
      const expected = JSON.stringify([...final].sort((a, b) => a.uid.localeCompare(b.uid)));
      await waitUntil(() => shown() === expected, 60_000, 'the table to show the server\'s final pods and phases');

      const rows = [...table().values()];
      expect(rows.map((row) => ({ uid: row.uid, name: row.name, phase: row.phase })).sort((a, b) => a.uid.localeCompare(b.uid))).toEqual(final.sort((a, b) => a.uid.localeCompare(b.uid)));
      expect(new Set(rows.map((row) => row.name)).size).toBe(rows.length);
      // The plugin was asked again and again as tokens expired (each lives 3 s; the list stayed
      // open 120 s, two minutes, through watches the server ends every 4 s): far more than a handful of times.
      expect((await calls()) - callsAtStart).toBeGreaterThanOrEqual(10);
      expect(issuer.refreshes('erin')).toBeGreaterThanOrEqual(6);
      expect(issuer.reusedRefreshTokens).toBe(0);
      expect(watch.events.filter((event) => event.kind === 'state' && event.state.kind === 'failed')).toEqual([]);
      expect(watch.ended).toBeNull();
    } finally {
      watch.cancel();
    }
  });
});
