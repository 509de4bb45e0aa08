import { homedir } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import type Docker from 'dockerode';
import DockerClient from 'dockerode';
import { z } from 'zod';
import type { ConnectionMethod } from '../../../shared/contract/connections.ts';
import { AppError } from '../../../shared/errors.ts';
import type { EnvironmentRecord, EnvironmentRepository } from '../environments/environment-repository.ts';
import {
  contextSecretsSchema,
  kubeClientConfig,
  proxyEnvironmentOf,
  rebuildKubeconfig,
  runExecCredentialPlugin,
  withEnvironmentProxy,
  writePrivateKubeconfig,
  type ContextMetadata,
  type ContextSecrets,
  type KubeconfigModel,
  type LoginEnvironment,
  type PrivateKubeconfig,
} from '../environments/kubeconfig/index.ts';
import type { SecretReader } from './ssh/identity.ts';
import { dockerTlsKey, dockerTlsSchema, type DockerTls } from '../environments/docker-context-environments.ts';
import { OidcTokens } from './oidc-tokens.ts';
import { identifyEngine, type EngineKind } from '../environments/engine-identity.ts';
import { createRemoteEngine, type RemoteEngine } from './ssh/remote-engine.ts';
import type { RemoteExecOptions, RemoteExecResult } from './ssh/remote-exec.ts';
import { streamOnHost, type RemoteStreamOptions, type RemoteStreamSession } from './ssh/remote-stream.ts';
import { hostPortOf, targetLabel } from './ssh/ssh-errors.ts';
import type { ConnectionResolver } from './connection-resolver.ts';
import { ApiServerConnections } from './api-server-connections.ts';
import { DeadlineKubeConfig, withRequestDeadlines } from './request-deadlines.ts';
import type { SshPools } from './ssh-pools.ts';
import { labelOf, whereOf } from '../../../shared/message-params.ts';

/** Keychain entry of a Kubernetes environment: the context's credentials and a proxy-url that carries a password. */
export const kubeCredentialsSchema = z.object({ context: contextSecretsSchema, proxyUrl: z.string().optional() });
export type KubeCredentials = z.infer<typeof kubeCredentialsSchema>;
export const kubeCredentialsKey = (environmentId: string): string => `env/${environmentId}/kube-credentials`;

interface Chosen {
  readonly method: ConnectionMethod;
  readonly reason: string;
}

export interface KubernetesAccess extends Chosen {
  readonly kubeConfig: KubeConfig;
  /** The single-context kubeconfig, with proxy-url set when tunnelled (for a private kubectl file). */
  readonly model: KubeconfigModel;
  readonly namespace: string;
}

export interface EngineAccess extends Chosen {
  readonly docker: Docker;
  /** What the engine's API said it is on this connection (not what was registered). */
  readonly kind: EngineKind;
}

/** Called when an engine answers as another kind than its record says; updates the record. */
export type EngineKindListener = (env: EnvironmentRecord, detected: EngineKind) => Promise<void>;

export interface ExecPluginSettings {
  readonly timeoutMs: number;
  readonly path: string;
  readonly home: string;
}

/**
 * The one place later features get a ready client for an environment, through whichever
 * method the resolver chose: client-node's KubeConfig (with the SOCKS listener as proxy-url
 * over Direct SSH), dockerode (local socket, or the remote socket over the pooled SSH client)
 * and host commands over SSH. Credentials are read from the keychain for each build and are
 * never written anywhere but a private 0600 kubeconfig a caller asks for.
 */
export class RuntimeAccess {
  private readonly environments: EnvironmentRepository;
  private readonly secrets: SecretReader & { set(key: string, value: string): Promise<void> };
  private readonly resolver: ConnectionResolver;
  private readonly ssh: SshPools;
  private readonly execPlugin: ExecPluginSettings | undefined;
  private readonly login: Promise<LoginEnvironment> | undefined;
  private readonly remoteEngines = new Map<string, RemoteEngine>();
  private readonly pluginCredentials = new Map<string, { secrets: ContextSecrets; expiresAt: number }>();
  private readonly engineKinds = new Map<string, Promise<EngineKind>>();
  private engineKindListener: EngineKindListener | undefined;
  private readonly releaseListeners: ((environmentId: string) => void)[] = [];
  private readonly pluginRuns = new Map<string, Promise<ContextSecrets>>();
  private readonly oidc: OidcTokens;
  /** Keep-alive connections to the API servers, per environment and TLS identity. */
  private readonly apiServers = new ApiServerConnections();

  constructor(options: {
    environments: EnvironmentRepository;
    /** Reads credentials; writes back only an OIDC user's rotated tokens. */
    secrets: SecretReader & { set(key: string, value: string): Promise<void> };
    resolver: ConnectionResolver;
    ssh: SshPools;
    execPlugin?: ExecPluginSettings;
    /** The user's login PATH and cloud variables for credential plugins, captured once at start. */
    login?: Promise<LoginEnvironment>;
  }) {
    this.environments = options.environments;
    this.secrets = options.secrets;
    this.resolver = options.resolver;
    this.ssh = options.ssh;
    this.execPlugin = options.execPlugin;
    this.login = options.login;
    this.oidc = new OidcTokens({
      read: async (env) => (await this.credentials(env)).context.authProviderConfig ?? {},
      save: async (env, config) => {
        // read again: only the provider's tokens change, whatever else the entry holds stays
        const credentials = await this.credentials(this.environments.get(env.id));
        await this.secrets.set(kubeCredentialsKey(env.id), JSON.stringify({ ...credentials, context: { ...credentials.context, authProviderConfig: config } }));
      },
    });
  }

  async kubernetes(environmentId: string, options: { fresh?: boolean } = {}): Promise<KubernetesAccess> {
    const env = this.environments.get(environmentId);
    const context = kubeContextOf(env);
    const chosen = await this.resolver.resolve(env, options);
    // The workstation's HTTPS_PROXY/NO_PROXY apply where the cluster sets no proxy-url, for client-node and kubectl alike.
    const model = withEnvironmentProxy(await this.kubeconfigModel(env, context, chosen.method), proxyEnvironmentOf(process.env));
    // An exec plugin's token is fetched again (from the cache until near expiry) for every request of this client.
    let stored: Promise<ContextSecrets> | undefined;
    // So is an OIDC user's id-token, refreshed (and its rotated refresh token saved) when it nears expiry.
    const tokenSource = context.exec
      ? async () => (await this.execCredentials(env, context, await (stored ??= this.credentials(env).then((c) => c.context)))).token
      : isOidc(context)
        ? () => this.oidc.token(env)
        : undefined;
    const create = (): DeadlineKubeConfig => new DeadlineKubeConfig(undefined, { onUnauthorized: () => this.credentialsRejected(env.id), connections: this.apiServers.of(env.id) });
    const kubeConfig = kubeClientConfig(model, { create, ...(tokenSource ? { tokenSource } : {}) });
    return { kubeConfig, model, method: chosen.method, reason: chosen.reason, namespace: context.namespace ?? 'default' };
  }

  /** A 0600 kubeconfig for one kubectl run, with proxy-url when tunnelled; the caller disposes it. */
  async privateKubeconfig(environmentId: string, dir: string): Promise<PrivateKubeconfig & Chosen> {
    const access = await this.kubernetes(environmentId);
    const file = await writePrivateKubeconfig(dir, access.model);
    return { path: file.path, dispose: () => file.dispose(), method: access.method, reason: access.reason };
  }

  /** Who hears that an engine answered as another kind (the environments service, which records and audits it). */
  /** Who hears that an environment changed or went away (its clients and links released): the pod watches, which must not go on with the old connection. */
  onRelease(listener: (environmentId: string) => void): void {
    this.releaseListeners.push(listener);
  }

  onEngineKind(listener: EngineKindListener): void {
    this.engineKindListener = listener;
  }

  /**
   * A dockerode client for the engine, whose kind is asked from its API on the first use of
   * each connection (and again with `fresh`): Podman behind any socket path is Podman.
   */
  async engine(environmentId: string, options: { fresh?: boolean; recheck?: boolean } = {}): Promise<EngineAccess> {
    const env = this.environments.get(environmentId);
    if (env.target.kind !== 'engine') throw notEngine(env);
    const chosen = await this.resolver.resolve(env, options.fresh ? { fresh: true } : {});
    const tls = env.target.tcp?.tls ? await this.dockerTls(env) : undefined;
    const docker = this.engineClient(env, chosen.method, tls);
    if (options.fresh || options.recheck) this.engineKinds.delete(env.id);
    let known = this.engineKinds.get(env.id);
    if (!known) {
      known = this.identify(env, docker, chosen.method);
      this.engineKinds.set(env.id, known);
      known.catch(() => this.engineKinds.delete(env.id));
    }
    const kind = await known;
    return { docker: kind === env.kind ? docker : this.engineClient(this.environments.get(env.id), chosen.method, tls), kind, ...chosen };
  }

  /** A TLS daemon's CA, client certificate and key, read from the keychain for each client built. */
  private async dockerTls(env: EnvironmentRecord): Promise<DockerTls> {
    const raw = await this.secrets.get(dockerTlsKey(env.id));
    const parsed = raw === null ? undefined : dockerTlsSchema.safeParse(JSON.parse(raw));
    if (!parsed?.success) throw new AppError('NOT_FOUND', `The TLS certificates of "${env.name}" are missing from the keychain; add its Docker context again.`, undefined, { key: 'connections.runtime.tlsMissing', params: { environment: env.name } });
    return parsed.data;
  }

  private engineClient(env: EnvironmentRecord, method: ConnectionMethod, tls?: DockerTls): Docker {
    const host = env.access.ssh;
    if (env.target.kind !== 'engine') throw notEngine(env);
    const tcp = env.target.tcp;
    if (tcp) {
      const endpoint = { host: tcp.host, port: tcp.port };
      return withRequestDeadlines(new DockerClient(tls ? { ...endpoint, protocol: 'https', ca: tls.ca, cert: tls.cert, key: tls.key } : { ...endpoint, protocol: 'http' }));
    }
    if (method === 'direct' || host === undefined) return withRequestDeadlines(new DockerClient({ socketPath: env.target.socketPath }));
    let remote = this.remoteEngines.get(env.id);
    if (!remote) {
      remote = createRemoteEngine(this.ssh.connection(host), { engine: env.kind === 'podman' ? 'podman' : 'docker', socketPath: env.target.socketPath, hostLabel: targetLabel(host) });
      this.remoteEngines.set(env.id, remote);
    }
    return withRequestDeadlines(remote.docker);
  }

  private async identify(env: EnvironmentRecord, docker: Docker, method: ConnectionMethod): Promise<EngineKind> {
    const socket = env.target.kind === 'engine' ? env.target.socketPath : '';
    const where = env.target.kind === 'engine' && env.target.tcp ? whereOf('dockerDaemon', socket) : env.access.ssh && method !== 'direct' ? whereOf('engineSocketOn', socket, targetLabel(env.access.ssh)) : whereOf('engineSocket', socket);
    const { kind } = await identifyEngine(docker, where);
    if (kind !== env.kind) {
      await this.engineKindListener?.(env, kind);
      // A remote client speaks the engine's CLI for dial-stdio: rebuild it for the real kind.
      this.remoteEngines.get(env.id)?.close();
      this.remoteEngines.delete(env.id);
    }
    return kind;
  }

  /** Runs argv (never through a local shell) on the environment's SSH host. */
  async hostExec(environmentId: string, argv: readonly string[], limits: Omit<RemoteExecOptions, 'hostLabel'>): Promise<RemoteExecResult & Chosen> {
    const env = this.environments.get(environmentId);
    const host = env.access.ssh;
    if (host === undefined) throw noSshHost(env);
    const chosen = await this.resolver.resolve(env);
    const result = await this.ssh.pool(host.identityId).exec(this.ssh.options(host), argv, limits);
    return { ...result, ...chosen };
  }

  /**
   * Starts a streaming argv on the environment's SSH host and returns at once: the session
   * connects in the background (a failure rejects its `started`), so a caller can count it
   * against a limit before anything is awaited.
   */
  hostStream(environmentId: string, argv: readonly string[], limits: Omit<RemoteStreamOptions, 'hostLabel'>): RemoteStreamSession {
    const env = this.environments.get(environmentId);
    const host = env.access.ssh;
    if (host === undefined) throw noSshHost(env);
    const client = this.resolver.resolve(env).then(() => this.ssh.pool(host.identityId).connection(this.ssh.options(host)).ready());
    return streamOnHost(client, argv, { ...limits, hostLabel: hostPortOf(host) });
  }

  /**
   * The SOCKS listener of the environment's pooled SSH connection when its engine is reached
   * over SSH (null when it is reached directly): addresses dialled through it, like a
   * reverse proxy's admin API on 127.0.0.1, are the SSH host's own.
   */
  async hostSocksUrl(environmentId: string): Promise<string | null> {
    const env = this.environments.get(environmentId);
    const host = env.access.ssh;
    if (host === undefined) return null;
    const { method } = await this.engine(environmentId);
    if (method !== 'ssh') return null;
    await this.resolver.resolve(env);
    return (await this.ssh.pool(host.identityId).socksProxy(this.ssh.options(host))).url;
  }

  /** A 401 from the cluster: cached plugin and OIDC tokens go, so the next request gets fresh ones. */
  credentialsRejected(environmentId: string): void {
    this.pluginCredentials.delete(environmentId);
    this.oidc.rejected(environmentId);
  }

  /** After an edit or removal: drop cached clients so the next use follows the new settings. */
  async release(env: EnvironmentRecord): Promise<void> {
    this.resolver.forget(env.id);
    this.pluginCredentials.delete(env.id);
    this.oidc.forget(env.id);
    this.engineKinds.delete(env.id);
    this.remoteEngines.get(env.id)?.close();
    this.remoteEngines.delete(env.id);
    if (env.access.ssh) await this.ssh.release(env.access.ssh);
    for (const listener of this.releaseListeners) listener(env.id);
    // after the watches were told, so they stop on the change rather than on a cut connection
    await this.apiServers.release(env.id);
  }

  async close(): Promise<void> {
    for (const engine of this.remoteEngines.values()) engine.close();
    this.remoteEngines.clear();
    await this.apiServers.close();
  }

  private async kubeconfigModel(env: EnvironmentRecord, context: ContextMetadata, method: ConnectionMethod): Promise<KubeconfigModel> {
    const credentials = await this.credentials(env);
    let proxyUrl = credentials.proxyUrl ?? context.proxyUrl;
    if (method === 'ssh') {
      const host = env.access.ssh;
      if (host === undefined) throw new AppError('INVALID_INPUT', 'Direct SSH needs an SSH host.', undefined, { key: 'connections.methods.sshNeedsHostOnly' });
      proxyUrl = (await this.ssh.pool(host.identityId).socksProxy(this.ssh.options(host))).url;
    }
    if (isOidc(context)) {
      // kubectl 1.26+ and client-node's own provider cannot refresh and save rotated tokens: hand them a bearer token
      const { authProviderName: _provider, ...withoutProvider } = context;
      const { authProviderConfig: _config, ...rest } = credentials.context;
      return rebuildKubeconfig(withoutProvider, { ...rest, token: await this.oidc.token(env) }, proxyUrl === undefined ? {} : { proxyUrl });
    }
    if (context.exec === undefined) return rebuildKubeconfig(context, credentials.context, proxyUrl === undefined ? {} : { proxyUrl });
    // client-node would run the plugin without a deadline: run it bounded here and hand over its result.
    const fromPlugin = await this.execCredentials(env, context, credentials.context);
    const { exec: _exec, ...withoutExec } = context;
    return rebuildKubeconfig(withoutExec, fromPlugin, proxyUrl === undefined ? {} : { proxyUrl });
  }

  private async credentials(env: EnvironmentRecord): Promise<KubeCredentials> {
    const key = kubeCredentialsKey(env.id);
    if (!env.secretKeys.includes(key)) return { context: {} };
    const text = await this.secrets.get(key);
    if (text === null) throw new AppError('NOT_FOUND', `The credentials of "${env.name}" are no longer in the keychain; remove the environment and add it again.`, { secret: key }, { key: 'connections.runtime.credentialsMissing', params: { environment: env.name } });
    const parsed = kubeCredentialsSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new AppError('STORAGE_CORRUPT', `The credentials of "${env.name}" in the keychain are damaged; remove the environment and add it again.`, undefined, { key: 'connections.runtime.credentialsDamaged', params: { environment: env.name } });
    return parsed.data;
  }

  private execCredentials(env: EnvironmentRecord, context: ContextMetadata, stored: ContextSecrets): Promise<ContextSecrets> {
    const cached = this.pluginCredentials.get(env.id);
    if (cached && cached.expiresAt > Date.now() + 30_000) return Promise.resolve(cached.secrets);
    // Requests that need a token at the same moment (a list and its watch) share one plugin run.
    let running = this.pluginRuns.get(env.id);
    if (running === undefined) {
      running = this.runPlugin(env, context, stored).finally(() => this.pluginRuns.delete(env.id));
      this.pluginRuns.set(env.id, running);
    }
    return running;
  }

  private async runPlugin(env: EnvironmentRecord, context: ContextMetadata, stored: ContextSecrets): Promise<ContextSecrets> {
    const exec = context.exec;
    if (exec === undefined) return stored;
    const login = this.login ? await this.login : undefined;
    const settings = this.execPlugin ?? { timeoutMs: 30_000, path: login?.path ?? '/usr/local/bin:/usr/bin:/bin', home: login?.variables.HOME ?? homedir() };
    const status = await runExecCredentialPlugin(
      {
        ...(exec.apiVersion === undefined ? {} : { apiVersion: exec.apiVersion }),
        command: exec.command,
        args: exec.args,
        env: exec.envNames.map((name) => ({ name, value: stored.execEnv?.[name] ?? '' })),
        ...(exec.provideClusterInfo === undefined ? {} : { provideClusterInfo: exec.provideClusterInfo }),
      },
      {
        ...settings,
        baseEnv: login?.variables ?? {},
        label: labelOf('context', context.contextName),
        cluster: {
          server: context.server,
          ...(context.certificateAuthorityData === undefined ? {} : { certificateAuthorityData: context.certificateAuthorityData }),
          insecureSkipTlsVerify: context.insecureSkipTlsVerify,
        },
      },
    );
    const secrets: ContextSecrets = {
      ...(status.token === undefined ? {} : { token: status.token }),
      ...(status.clientCertificateData === undefined ? {} : { clientCertificateData: status.clientCertificateData }),
      ...(status.clientKeyData === undefined ? {} : { clientKeyData: status.clientKeyData }),
    };
    const expiresAt = status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : Number.NaN;
    if (Number.isFinite(expiresAt)) this.pluginCredentials.set(env.id, { secrets, expiresAt });
    return secrets;
  }
}

function isOidc(context: ContextMetadata): boolean {
  return context.authProviderName === 'oidc' && context.exec === undefined;
}

function notEngine(env: EnvironmentRecord): AppError {
  return new AppError('INVALID_INPUT', `"${env.name}" is a Kubernetes cluster, not a Docker or Podman engine.`, undefined, { key: 'connections.runtime.notEngine', params: { environment: env.name } });
}

function noSshHost(env: EnvironmentRecord): AppError {
  return new AppError('INVALID_INPUT', `"${env.name}" has no SSH host to run host commands on.`, undefined, { key: 'connections.runtime.noSshHost', params: { environment: env.name } });
}

export function kubeContextOf(env: EnvironmentRecord): ContextMetadata {
  if (env.target.kind !== 'kubernetes') throw new AppError('INVALID_INPUT', `"${env.name}" is an engine, not a Kubernetes cluster.`, undefined, { key: 'connections.runtime.notKubernetes', params: { environment: env.name } });
  return env.target.context;
}
