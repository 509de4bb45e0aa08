import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { oidcKubeconfig, startOidcIssuer, type OidcIssuer } from '../../support/oidc-issuer.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { podTableOf, Recorded, waitUntil } from '../operations/tabs-support.ts';
import { startTestCore, type TestCore } from './support/core.ts';

useTestEnvironment('keyring');


/**
 * A token the cluster stops accepting before its stated expiry (here: the issuer rotated its
 * signing key, so the API server refuses every id-token signed before) gets one 401; the app
 * then fetches fresh credentials and retries once, and the Pod List keeps its rows.
 */
describe('a 401 on a token that has not expired yet', () => {
  let issuer: OidcIssuer;
  let kube: KubeTestServer;
  let app: TestCore;

  beforeAll(async () => {
    issuer = await startOidcIssuer({ idTokenTtlSeconds: 600 });
    kube = await startKubeTestServer({
      nodes: 1,
      oidc: issuer.authentication,
      extraUsers: [{ name: 'carol', groups: ['system:authenticated'], auth: 'oidc', rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: ['', 'apps'], resources: ['pods', 'deployments', 'replicasets'], namespaces: ['default'] }] }],
    });
    kube.applyDeployment({ name: 'rotate', replicas: 3, image: 'nginx:1.27' });
    await kube.waitFor(() => kube.podsOf('default', 'rotate').filter((pod) => pod.status?.phase === 'Running').length === 3);
    app = await startTestCore();
  });
  afterAll(async () => {
    await app?.close();
    await kube?.close();
    await issuer?.close();
  });

  const kubeconfig = (tokens: { idToken: string; refreshToken: string }) => oidcKubeconfig(kube, issuer, 'carol', tokens);

  it('refreshes and retries once: the same client lists again, and the live Pod List keeps its rows through a re-list', async () => {
    const { environments } = await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kubeconfig(issuer.login('carol')) }, contexts: ['carol@sso'] });
    const id = environments[0]!.id;
    const expected = kube.podsOf('default', 'rotate').map((pod) => pod.metadata.uid).sort();
    const watch = new Recorded(app.client, 'pods.watch', { serviceId: `${id}:deployment:default/rotate` });
    try {
      await waitUntil(() => podTableOf(watch.events).size === 3 && watch.events.some((e) => e.kind === 'state' && e.state.kind === 'live'), 20_000, 'the live table');
      const client = (await app.core.runtime.kubernetes(id)).kubeConfig.makeApiClient(CoreV1Api);
      expect(issuer.refreshes('carol')).toBe(0);

      issuer.rotateSigningKey();
      const seen = watch.events.length;
      // cut the watch: it re-lists with the refused token, gets a 401, refreshes and retries
      await kube.restart();
      await waitUntil(() => issuer.refreshes('carol') === 1, 20_000, 'one refresh after the 401');
      // the watch runs again after the retried re-list: a change in the cluster reaches the table
      const target = kube.podsOf('default', 'rotate')[0]?.metadata.name ?? '';
      kube.setPodPhase('default', target, 'Failed');
      await waitUntil(() => [...podTableOf(watch.events).values()].some((row) => row.name === target && row.phase === 'Failed'), 30_000, 'the Failed pod in the live table');
      // no row lost or duplicated: the table is the cluster's pods (the Deployment may have added a replacement)
      const uids = () => kube.podsOf('default', 'rotate').map((pod) => pod.metadata.uid).sort().join();
      await waitUntil(() => [...podTableOf(watch.events).keys()].sort().join() === uids(), 30_000, 'the table to match the cluster');
      expect([...podTableOf(watch.events).keys()]).toEqual(expect.arrayContaining(expected));
      expect(watch.events.slice(seen).filter((e) => e.kind === 'state' && e.state.kind === 'failed')).toEqual([]);
      expect(watch.events.slice(seen).some((e) => e.kind === 'changes' && (e.reset || e.removed.some((uid) => expected.includes(uid))))).toBe(false);

      // a client made before: after another rotation its list gets a 401, refreshes and retries, and answers
      issuer.rotateSigningKey();
      const pods = await client.listNamespacedPod({ namespace: 'default', labelSelector: 'app=rotate' });
      expect(pods.items.map((pod) => pod.metadata?.uid).sort().join()).toBe(uids());
      expect(issuer.refreshes('carol')).toBe(2);
      expect(issuer.reusedRefreshTokens).toBe(0);
    } finally {
      watch.cancel();
    }
  });

  it('says why when fresh credentials are refused too (the refresh token was revoked)', async () => {
    const { environments } = await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kubeconfig(issuer.login('carol')) }, contexts: ['carol@sso'], name: 'carol revoked' });
    const id = environments[0]!.id;
    const client = (await app.core.runtime.kubernetes(id)).kubeConfig.makeApiClient(CoreV1Api);
    await client.listNamespacedPod({ namespace: 'default' });
    issuer.rotateSigningKey();
    issuer.login('carol'); // a login elsewhere rotates carol's refresh token: this environment's is no longer valid
    await expect(client.listNamespacedPod({ namespace: 'default' })).rejects.toThrow(/refused to refresh the token of environment "carol revoked": invalid_grant/);
  });
});
