import { AppError } from '../../../../shared/errors.ts';
import type { ContextWarning, KubeconfigModel, NamedCluster, NamedContext, NamedUser } from './model.ts';

export interface ContextSummary {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
  readonly namespace: string | undefined;
  readonly current: boolean;
}

export function listContexts(model: KubeconfigModel): ContextSummary[] {
  return model.contexts.map(({ name, context }) => ({
    name,
    cluster: context.cluster,
    user: context.user,
    namespace: context.namespace,
    current: name === model.currentContext,
  }));
}

export interface ResolvedContext {
  readonly context: NamedContext;
  readonly cluster: NamedCluster;
  readonly user: NamedUser;
}

/**
 * Finds a context and the cluster and user it names. `contextName` defaults to
 * current-context. Dangling references are KUBECONFIG_INVALID naming the missing entry.
 */
export function resolveContext(model: KubeconfigModel, contextName?: string): ResolvedContext {
  const name = contextName ?? model.currentContext;
  if (!name) {
    throw new AppError('KUBECONFIG_INVALID', `The kubeconfig ${model.source} has no current-context; choose one of its contexts.`, {
      source: model.source,
      problem: 'no-current-context',
    }, { key: 'environments.kubeconfig.noCurrentContext', params: { source: model.source } });
  }
  const context = model.contexts.find((c) => c.name === name);
  if (!context) {
    const known = model.contexts.map((c) => c.name);
    throw new AppError('KUBECONFIG_INVALID', `The kubeconfig ${model.source} has no context named "${name}"${known.length ? ` (it has: ${known.join(', ')})` : ''}.`, {
      source: model.source,
      problem: 'missing-context',
      context: name,
    }, { key: `environments.kubeconfig.${known.length ? 'missingContextKnown' : 'missingContext'}`, params: { source: model.source, name, known: known.join(', ') } });
  }
  const cluster = model.clusters.find((c) => c.name === context.context.cluster);
  if (!cluster) {
    throw new AppError('KUBECONFIG_INVALID', `Context "${name}" in ${model.source} names cluster "${context.context.cluster}", which is not defined in the kubeconfig.`, {
      source: model.source,
      problem: 'missing-cluster',
      context: name,
      cluster: context.context.cluster,
    }, { key: 'environments.kubeconfig.missingCluster', params: { name, source: model.source, cluster: context.context.cluster } });
  }
  // kubectl treats an empty user as anonymous; a named but undefined user is an error.
  const userName = context.context.user;
  const user = userName === '' ? { name: '', user: {} } : model.users.find((u) => u.name === userName);
  if (!user) {
    throw new AppError('KUBECONFIG_INVALID', `Context "${name}" in ${model.source} names user "${userName}", which is not defined in the kubeconfig.`, {
      source: model.source,
      problem: 'missing-user',
      context: name,
      user: userName,
    }, { key: 'environments.kubeconfig.missingUser', params: { name, source: model.source, user: userName } });
  }
  return { context, cluster, user };
}

/** What the user should know before trusting a context, in the order kubectl would act on it. */
export function contextWarnings(resolved: ResolvedContext): ContextWarning[] {
  const warnings: ContextWarning[] = [];
  const { cluster, user } = resolved;
  if (cluster.cluster['insecure-skip-tls-verify']) {
    warnings.push({
      kind: 'insecure-skip-tls-verify',
      message: `Cluster "${cluster.name}" skips TLS verification: anyone on the path can impersonate the API server.`,
    });
  }
  const proxyUrl = cluster.cluster['proxy-url'];
  if (proxyUrl) {
    warnings.push({ kind: 'proxy-url', message: `Cluster "${cluster.name}" is reached through the proxy ${redactUrl(proxyUrl)}.`, proxyUrl: redactUrl(proxyUrl) });
  }
  const exec = user.user.exec;
  if (exec) {
    const args = exec.args ?? [];
    warnings.push({
      kind: 'exec',
      message: `User "${user.name}" gets credentials by running a program on this computer: ${[exec.command, ...args].join(' ')}`,
      command: exec.command,
      args,
    });
  }
  const provider = user.user['auth-provider'];
  if (provider) {
    warnings.push({
      kind: 'auth-provider',
      message: `User "${user.name}" uses the legacy auth-provider "${provider.name}", which kubectl and client-node no longer support fully; prefer an exec plugin.`,
      provider: provider.name,
    });
  }
  for (const [field, path] of [
    ['tokenFile', user.user.tokenFile],
    ['client-certificate', user.user['client-certificate']],
    ['client-key', user.user['client-key']],
    ['certificate-authority', cluster.cluster['certificate-authority']],
  ] as const) {
    if (path) {
      warnings.push({ kind: 'credential-file', message: `"${field}" points to the file ${path}; the app reads it when the environment is registered.`, path });
    }
  }
  return warnings;
}

/** A proxy URL may carry user:password; show it without them. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.username || url.password) {
      url.username = url.username ? '***' : '';
      url.password = '';
    }
    return url.toString().replace(/\/$/, value.endsWith('/') ? '/' : '');
  } catch {
    return value.replace(/\/\/[^@/]*@/, '//***@');
  }
}
