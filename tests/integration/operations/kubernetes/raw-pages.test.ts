import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api, Observable, ResponseContext, type RequestContext } from '@kubernetes/client-node';
import { DeadlineKubeConfig } from '../../../../electron/main/connections/request-deadlines.ts';
import { doing, kubernetesError } from '../../../../electron/main/operations/kubernetes/kube-errors.ts';
import { RawListPager } from '../../../../electron/main/operations/kubernetes/raw-pages.ts';
import { toPodRow } from '../../../../electron/main/operations/kubernetes/pod-rows.ts';
import { startKubeTestServer, type KubeTestServer } from '../../../kube-server/index.ts';
import { LinkRelay } from '../../../support/link-relay.ts';
import { kubeConfigFor } from './kube-fixture.ts';

/** Every page of a list, through the pager, closed at the end. */
async function listAll(pager: RawListPager, query: Record<string, string | number>): Promise<{ items: unknown[]; pages: number }> {
  const items: unknown[] = [];
  let pages = 0;
  let token: string | undefined;
  try {
    do {
      const page = await pager.page({ ...query, continue: token });
      items.push(...page.items);
      pages += 1;
      token = page.next;
    } while (token !== undefined);
  } finally {
    await pager.close();
  }
  return { items, pages };
}

async function thrownBy(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

describe('RawListPager: large lists read as plain JSON, page by page', () => {
  let kube: KubeTestServer;
  let relay: LinkRelay;
  let seeded: { metadata: { uid?: string } }[] = [];
  const path = '/api/v1/namespaces/default/pods';

  beforeAll(async () => {
    kube = await startKubeTestServer({});
    relay = await LinkRelay.start({ port: Number(new URL(kube.url).port) });
    seeded = kube.seedPods({ namespace: 'default', prefix: 'paged', counts: { running: 1_100, pending: 60, crashLoop: 40 } });
    kube.seedPods({ namespace: 'default', prefix: 'other', counts: { running: 5 } });
  });

  afterAll(async () => {
    await relay?.close();
    await kube?.close();
  });

  it('returns every pod of the selector once, in pages of the limit', async () => {
    const { items, pages } = await listAll(new RawListPager(kubeConfigFor(kube, 'developer'), path), { labelSelector: 'app=paged', limit: 500 });
    expect(pages).toBe(3);
    const rows = items.map((pod) => toPodRow(pod as never));
    expect(rows.map((row) => row.uid).sort()).toEqual(seeded.map((pod) => pod.metadata.uid).sort());
    expect(rows.filter((row) => row.isPending)).toHaveLength(60);
    expect(rows.filter((row) => row.crashLoop?.container !== undefined)).toHaveLength(40);
  });

  it('gives the rows that client-node typed models give for the same response', async () => {
    // One response decoded both ways: the typed call's result, and its body as the pager reads it.
    let body = '';
    const keepBody = {
      middleware: [
        {
          pre: (context: RequestContext) => new Observable(Promise.resolve(context)),
          post: (response: ResponseContext) =>
            new Observable(
              response.body.text().then((text) => {
                body = text;
                return new ResponseContext(response.httpStatusCode, response.headers, { text: () => Promise.resolve(text), binary: () => Promise.resolve(Buffer.from(text)), stream: () => null });
              }),
            ),
        },
      ],
      middlewareMergeStrategy: 'append' as const,
    };
    const core = kubeConfigFor(kube, 'developer').makeApiClient(CoreV1Api);
    const typed = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=paged' }, keepBody as never);
    const raw = (JSON.parse(body) as { items: unknown[] }).items;
    expect(raw).toHaveLength(1_200);
    expect(raw.map((pod) => toPodRow(pod as never))).toEqual(typed.items.map(toPodRow));
  });

  it('reads six pages over one connection pool and closes it when the list ends', async () => {
    const before = relay.acceptedConnections;
    const server = `https://127.0.0.1:${relay.port}`;
    const { pages } = await listAll(new RawListPager(kubeConfigFor(kube, 'developer', server), path), { labelSelector: 'app=paged', limit: 200 });
    expect(pages).toBe(6);
    // One pool for the list (two connections here: undici opens a second when the next page is
    // asked before it has put the first one back); client-node's own calls open one per page.
    expect(relay.acceptedConnections - before).toBeLessThanOrEqual(pages / 2);
    await kube.waitFor(() => relay.openConnections === 0, 30_000, 'the list connection closed');
  });

  it('fails like the typed client: the same kubectl-worded error for a forbidden namespace', async () => {
    const query = { limit: 500 };
    const raw = await thrownBy(() => listAll(new RawListPager(kubeConfigFor(kube, 'developer'), '/api/v1/namespaces/kube-system/pods'), query));
    const typed = await thrownBy(() => kubeConfigFor(kube, 'developer').makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'kube-system', limit: 500 }));
    const what = doing('watchPodsOf', { target: 'kube-system/web' });
    const rawError = kubernetesError(raw, what);
    expect(rawError.code).toBe('PERMISSION_DENIED');
    expect(rawError.message).toMatch(/^Error from server \(Forbidden\): pods is forbidden: User "developer" cannot list/);
    expect(rawError.message).toBe(kubernetesError(typed, what).message);
  });

  it('retries a refused token once with fresh credentials, and reports a second refusal as such', async () => {
    let refusals = 0;
    const kubeConfig = new DeadlineKubeConfig(undefined, {
      onUnauthorized: () => {
        refusals += 1;
        const user = kubeConfig.getCurrentUser() as { token?: string } | null;
        if (user !== null) user.token = 'developer-token';
      },
    });
    kubeConfig.loadFromString(kube.kubeconfigYaml('developer').replace('developer-token', 'revoked-token'));
    const { items } = await listAll(new RawListPager(kubeConfig, path), { labelSelector: 'app=other', limit: 500 });
    expect(items).toHaveLength(5);
    expect(refusals).toBe(1);

    const stale = new DeadlineKubeConfig(undefined, { onUnauthorized: () => (refusals += 1) });
    stale.loadFromString(kube.kubeconfigYaml('developer').replace('developer-token', 'revoked-token'));
    const refused = kubernetesError(await thrownBy(() => listAll(new RawListPager(stale, path), { limit: 500 })), doing('watchPodsOf', { target: 'default/web' }));
    expect(refused.code).toBe('AUTH_FAILED');
    expect(refusals).toBe(2);
  });

  it('says a server that is gone cannot be reached', async () => {
    const error = await thrownBy(() => listAll(new RawListPager(kubeConfigFor(kube, 'developer', 'https://127.0.0.1:9'), path), { limit: 500 }));
    expect(kubernetesError(error, doing('watchPodsOf', { target: 'default/web' })).code).toBe('UNREACHABLE');
  });
});
