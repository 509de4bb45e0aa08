import { z } from 'zod';
import { contextWarnings, resolveContext } from './contexts.ts';
import type { ContextWarning, KubeconfigModel, KubeUser } from './model.ts';

/**
 * One context cut in two: what may be stored in SQLite and shown in the UI, and what must go
 * to the keychain. Rebuilding from both gives back a working single-context kubeconfig.
 */
export const contextMetadataSchema = z.object({
  contextName: z.string().min(1),
  clusterName: z.string().min(1),
  userName: z.string(),
  server: z.string().min(1),
  namespace: z.string().optional(),
  // CA certificates are public; kept here so the rebuilt config verifies the server.
  certificateAuthorityData: z.string().optional(),
  certificateAuthorityFile: z.string().optional(),
  caPresent: z.boolean(),
  insecureSkipTlsVerify: z.boolean(),
  tlsServerName: z.string().optional(),
  proxyUrl: z.string().optional(),
  username: z.string().optional(),
  tokenFile: z.string().optional(),
  clientCertificateFile: z.string().optional(),
  clientKeyFile: z.string().optional(),
  exec: z
    .object({
      apiVersion: z.string().optional(),
      command: z.string().min(1),
      args: z.array(z.string()),
      // Names only; values are in the secrets half because they often hold tokens.
      envNames: z.array(z.string()),
      provideClusterInfo: z.boolean().optional(),
      interactiveMode: z.string().optional(),
    })
    .optional(),
  authProviderName: z.string().optional(),
  warnings: z.array(z.object({ kind: z.string(), message: z.string() }).loose()),
  /** Where it was imported from (files only, not pasted text): watched for changes, read again on re-import. */
  source: z
    .object({
      paths: z.array(z.string()),
      /** The files' contexts at import, to tell which were added or removed since. */
      contexts: z.array(z.string()),
      /** The namespace the files gave; a namespace edited in the app differs from it and is kept. */
      namespace: z.string().optional(),
    })
    .optional(),
});

export const contextSecretsSchema = z.object({
  token: z.string().optional(),
  clientCertificateData: z.string().optional(),
  clientKeyData: z.string().optional(),
  password: z.string().optional(),
  execEnv: z.record(z.string(), z.string()).optional(),
  authProviderConfig: z.record(z.string(), z.string()).optional(),
});

export type ContextMetadata = z.infer<typeof contextMetadataSchema> & { warnings: ContextWarning[] };
export type ContextSecrets = z.infer<typeof contextSecretsSchema>;

export function splitContext(model: KubeconfigModel, contextName?: string): { metadata: ContextMetadata; secrets: ContextSecrets } {
  const resolved = resolveContext(model, contextName);
  const { cluster, user, context } = resolved;
  const c = cluster.cluster;
  const u: KubeUser = user.user;
  const metadata: ContextMetadata = dropUndefined({
    contextName: context.name,
    clusterName: cluster.name,
    userName: user.name,
    server: c.server,
    namespace: context.context.namespace,
    certificateAuthorityData: c['certificate-authority-data'],
    certificateAuthorityFile: c['certificate-authority'],
    caPresent: Boolean(c['certificate-authority-data'] || c['certificate-authority']),
    insecureSkipTlsVerify: c['insecure-skip-tls-verify'] === true,
    tlsServerName: c['tls-server-name'],
    proxyUrl: c['proxy-url'],
    username: u.username,
    tokenFile: u.tokenFile,
    clientCertificateFile: u['client-certificate'],
    clientKeyFile: u['client-key'],
    exec: u.exec
      ? dropUndefined({
          apiVersion: u.exec.apiVersion,
          command: u.exec.command,
          args: u.exec.args ?? [],
          envNames: (u.exec.env ?? []).map((e) => e.name),
          provideClusterInfo: u.exec.provideClusterInfo,
          interactiveMode: u.exec.interactiveMode,
        })
      : undefined,
    authProviderName: u['auth-provider']?.name,
    warnings: contextWarnings(resolved),
  });
  const secrets: ContextSecrets = dropUndefined({
    token: u.token,
    clientCertificateData: u['client-certificate-data'],
    clientKeyData: u['client-key-data'],
    password: u.password,
    execEnv: u.exec?.env?.length ? Object.fromEntries(u.exec.env.map((e) => [e.name, e.value])) : undefined,
    authProviderConfig: u['auth-provider']?.config ?? undefined,
  });
  return { metadata, secrets };
}

export interface RebuildOptions {
  /** Overrides the cluster's proxy-url, e.g. `socks5://127.0.0.1:PORT` for an SSH tunnel. */
  readonly proxyUrl?: string;
  /** Overrides the namespace of the context. */
  readonly namespace?: string;
}

/** A minimal kubeconfig with exactly one cluster, user and context, which is current. */
export function rebuildKubeconfig(metadata: ContextMetadata, secrets: ContextSecrets, options: RebuildOptions = {}): KubeconfigModel {
  const proxyUrl = options.proxyUrl ?? metadata.proxyUrl;
  const namespace = options.namespace ?? metadata.namespace;
  const execEnv = secrets.execEnv ?? {};
  const user: KubeUser = dropUndefined({
    token: secrets.token,
    tokenFile: metadata.tokenFile,
    'client-certificate-data': secrets.clientCertificateData,
    'client-certificate': metadata.clientCertificateFile,
    'client-key-data': secrets.clientKeyData,
    'client-key': metadata.clientKeyFile,
    username: metadata.username,
    password: secrets.password,
    exec: metadata.exec
      ? dropUndefined({
          apiVersion: metadata.exec.apiVersion,
          command: metadata.exec.command,
          args: metadata.exec.args,
          env: metadata.exec.envNames.map((name) => ({ name, value: execEnv[name] ?? '' })),
          provideClusterInfo: metadata.exec.provideClusterInfo,
          interactiveMode: metadata.exec.interactiveMode,
        })
      : undefined,
    'auth-provider': metadata.authProviderName ? { name: metadata.authProviderName, config: secrets.authProviderConfig ?? {} } : undefined,
  });
  return {
    source: `context "${metadata.contextName}"`,
    currentContext: metadata.contextName,
    clusters: [
      {
        name: metadata.clusterName,
        cluster: dropUndefined({
          server: metadata.server,
          'certificate-authority-data': metadata.certificateAuthorityData,
          'certificate-authority': metadata.certificateAuthorityFile,
          'insecure-skip-tls-verify': metadata.insecureSkipTlsVerify || undefined,
          'tls-server-name': metadata.tlsServerName,
          'proxy-url': proxyUrl,
        }),
      },
    ],
    users: [{ name: metadata.userName, user }],
    contexts: [{ name: metadata.contextName, context: dropUndefined({ cluster: metadata.clusterName, user: metadata.userName, namespace }) }],
  };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
