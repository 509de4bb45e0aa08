import { ApiException, HttpMethod, IsomorphicFetchHttpLibrary, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { DeadlineKubeConfig } from '../../connections/request-deadlines.ts';

/** One page of a list as the server sent it: plain JSON, no typed model. */
export interface RawPage {
  readonly items: readonly unknown[];
  readonly resourceVersion: string | undefined;
  /** The continue token for the next page; undefined on the last one. */
  readonly next: string | undefined;
}

interface ListJson {
  readonly items?: unknown;
  readonly metadata?: { readonly resourceVersion?: unknown; readonly continue?: unknown };
}

const http = new IsomorphicFetchHttpLibrary();

/**
 * Reads a large list page by page as plain JSON, the way kubectl does (limit + continue).
 *
 * client-node's generated `list…` calls decode every object into its typed model
 * (ObjectSerializer), about half of main's CPU for 5,000 pods. A list that only needs a few fields
 * per object reads them from the JSON instead. Its pages go over the environment's connections
 * (a DeadlineKubeConfig with connections: a reset one is replaced and a read page resent, as for
 * the generated calls); with a KubeConfig that opens a new pool per request, they share the first
 * page's pool, closed when the list ends. Authentication is the KubeConfig's own
 * (tokens, exec plugins, OIDC, client certificates, proxies, the request deadline), and a 401 is
 * retried once with fresh credentials, as for the generated calls. A failed page throws client-node's
 * ApiException, so the caller's error mapping is the same.
 */
export class RawListPager {
  private readonly kubeConfig: KubeConfig;
  private readonly path: string;
  private dispatcher: unknown;
  private closed = false;

  /** `path`: the collection, e.g. `/api/v1/namespaces/shop/pods`. */
  constructor(kubeConfig: KubeConfig, path: string) {
    this.kubeConfig = kubeConfig;
    this.path = path;
  }

  async page(query: Readonly<Record<string, string | number | undefined>>): Promise<RawPage> {
    let response = await this.send(query);
    if (response.httpStatusCode === 401) {
      await response.body.text().catch(() => '');
      (this.kubeConfig as { credentialsRejected?: () => void }).credentialsRejected?.();
      response = await this.send(query);
    }
    if (response.httpStatusCode === 401) throw new ApiException(401, 'Unauthorized', undefined, response.headers);
    if (response.httpStatusCode < 200 || response.httpStatusCode > 299) {
      throw new ApiException(response.httpStatusCode, 'Unknown API Status Code!', await response.getBodyAsAny(), response.headers);
    }
    const list = JSON.parse(await response.body.text()) as ListJson;
    const version = list.metadata?.resourceVersion;
    const next = list.metadata?.continue;
    return {
      items: Array.isArray(list.items) ? (list.items as unknown[]) : [],
      resourceVersion: typeof version === 'string' ? version : undefined,
      next: typeof next === 'string' && next !== '' ? next : undefined,
    };
  }

  /** Closes the pages' own connection (the environment's shared ones stay open). */
  async close(): Promise<void> {
    this.closed = true;
    const dispatcher = this.dispatcher as { close?: () => Promise<void> } | undefined;
    this.dispatcher = undefined;
    await dispatcher?.close?.().catch(() => undefined);
  }

  private async send(query: Readonly<Record<string, string | number | undefined>>) {
    if (this.closed) throw new Error('The list was closed.');
    const server = this.kubeConfig.getCurrentCluster()?.server ?? '';
    const context = new RequestContext(server + this.path, HttpMethod.GET);
    for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') context.setQueryParam(name, String(value));
    context.setHeaderParam('Accept', 'application/json');
    await this.kubeConfig.applySecurityAuthentication(context);
    if (this.kubeConfig instanceof DeadlineKubeConfig && this.kubeConfig.sharesConnections) return this.kubeConfig.send(context);
    // The first page's connection pool serves the rest (the KubeConfig builds a new one per request).
    if (this.dispatcher === undefined) this.dispatcher = context.getDispatcher();
    else context.setDispatcher(this.dispatcher as never);
    return http.send(context).toPromise();
  }
}

/**
 * Reads every page of a collection (`pageSize` objects a page, kubectl's 500 by default), hands each
 * object to `each` as its page arrives and then calls `afterPage`; `stopped()` is asked before each
 * page. The pages share one connection, closed at the end. Returns the list's resourceVersion, to
 * watch from.
 */
export async function forEachListed(
  kubeConfig: KubeConfig,
  path: string,
  query: Readonly<Record<string, string | number | undefined>>,
  each: (item: unknown) => void,
  options: { readonly pageSize?: number; readonly stopped?: () => boolean; readonly afterPage?: () => void } = {},
): Promise<string | undefined> {
  const pager = new RawListPager(kubeConfig, path);
  let resourceVersion: string | undefined;
  let token: string | undefined;
  try {
    do {
      if (options.stopped?.()) break;
      const page = await pager.page({ ...query, limit: options.pageSize ?? 500, continue: token });
      for (const item of page.items) each(item);
      options.afterPage?.();
      resourceVersion = page.resourceVersion ?? resourceVersion;
      token = page.next;
    } while (token !== undefined);
    return resourceVersion;
  } finally {
    await pager.close();
  }
}
