import { KubeConfig } from '@kubernetes/client-node';
import { AppError, type MessageText } from '../../../../shared/errors.ts';
import { maxCredentialFileBytes } from './inline-files.ts';
import type { KubeconfigModel } from './model.ts';
import { readRegularTextFile } from './read-regular-file.ts';
import { proxyFor, type ProxyEnvironment } from './proxy-environment.ts';
import { toKubeconfigYaml } from './serialize.ts';

type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];

export interface ClientConfigOptions {
  /** Makes the empty KubeConfig to load into (e.g. one that puts a deadline on every request). */
  readonly create?: () => KubeConfig;
  /** HTTPS_PROXY/HTTP_PROXY/NO_PROXY of the workstation; a cluster's own proxy-url wins. */
  readonly proxies?: ProxyEnvironment;
  /**
   * Asked for the current user's bearer token before every request (an exec plugin's token,
   * cached by the caller until shortly before it expires), so long-lived clients and watches
   * never hold a frozen token. The model's own token is then only the first value.
   */
  readonly tokenSource?: () => Promise<string | undefined>;
}

/**
 * client-node's KubeConfig for a kubeconfig model, with what client-node leaves out and
 * kubectl does: a user's `tokenFile` (client-node only knows a `token-file` key that kubectl
 * never writes) read again for every request, so a rotated token is used at once; and the
 * workstation's proxy variables, matched like client-go, where the cluster sets no proxy-url.
 */
export function kubeClientConfig(model: KubeconfigModel, options: ClientConfigOptions = {}): KubeConfig {
  const kubeConfig = options.create?.() ?? new KubeConfig();
  const source = options.tokenSource;
  const current = model.contexts.find((c) => c.name === model.currentContext)?.context.user;
  // client-node lets a user's static token override any authenticator: leave it out when a source refreshes it.
  const forClient: KubeconfigModel = source
    ? { ...model, users: model.users.map(({ name, user }) => ({ name, user: name === current ? withoutToken(user) : user })) }
    : model;
  kubeConfig.loadFromString(toKubeconfigYaml(withEnvironmentProxy(forClient, options.proxies ?? {})));
  if (source && current !== undefined) {
    const fallback = model.users.find((u) => u.name === current)?.user.token;
    kubeConfig.addAuthenticator({
      isAuthProvider: (user) => user.name === current,
      async applyAuthentication(_user, opts) {
        const token = (await source()) ?? fallback;
        if (token) opts.headers = { ...opts.headers, Authorization: `Bearer ${token}` };
      },
    });
  }
  for (const { name, user } of model.users) {
    if (user.tokenFile && !user.token && !user.exec && !user['auth-provider']) kubeConfig.addAuthenticator(tokenFileAuthenticator(name, user.tokenFile));
  }
  return kubeConfig;
}

/** The model with proxy-url set from the environment on each cluster that has none and is not exempt. */
export function withEnvironmentProxy(model: KubeconfigModel, proxies: ProxyEnvironment): KubeconfigModel {
  return {
    ...model,
    clusters: model.clusters.map(({ name, cluster }) => {
      if (cluster['proxy-url']) return { name, cluster };
      const proxyUrl = proxyFor(cluster.server, proxies);
      return { name, cluster: proxyUrl ? { ...cluster, 'proxy-url': proxyUrl } : cluster };
    }),
  };
}

function withoutToken<T extends { token?: string }>(user: T): T {
  const { token: _token, ...rest } = user;
  return rest as T;
}

function tokenFileAuthenticator(userName: string, path: string): Authenticator {
  return {
    isAuthProvider: (user) => user.name === userName,
    async applyAuthentication(_user, opts) {
      const token = await readTokenFile(userName, path);
      opts.headers = { ...opts.headers, Authorization: `Bearer ${token}` };
    },
  };
}

async function readTokenFile(userName: string, path: string): Promise<string> {
  let text: string;
  try {
    // A regular file under the cap, like every credential file: never a FIFO or /dev/zero.
    text = await readRegularTextFile(path, maxCredentialFileBytes, { code: 'AUTH_FAILED', what: 'token file' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The reader's key names the token file; the user it belongs to joins its parameters.
    const text: MessageText = error instanceof AppError && error.text !== undefined ? { key: error.text.key, params: { ...error.text.params, user: userName } } : { key: 'environments.file.token.unreadable', params: { path, user: userName } };
    throw new AppError('AUTH_FAILED', message.replace(`The token file ${path} `, `The token file ${path} of kubeconfig user "${userName}" `), { tokenFile: path }, text);
  }
  const token = text.trim();
  if (token === '') throw new AppError('AUTH_FAILED', `The token file ${path} of kubeconfig user "${userName}" is empty.`, { tokenFile: path }, { key: 'environments.kubeconfig.tokenEmpty', params: { path, user: userName } });
  return token;
}
