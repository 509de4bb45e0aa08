import Docker from 'dockerode';
import type { ConnectionMethod } from '../../../shared/contract/connections.ts';
import { AppError, detailPart, type MessageText } from '../../../shared/errors.ts';
import type { EnvironmentRecord } from '../environments/environment-repository.ts';
import { proxyEnvironmentOf, proxyFor } from '../environments/kubeconfig/proxy-environment.ts';
import type { SshPools } from './ssh-pools.ts';
import { targetLabel } from './ssh/ssh-errors.ts';
import { probeTcp } from './vpn/vpn-manager.ts';
import type { VpnGateway } from './vpn-gateway.ts';

/** Why a method is healthy: main's English and, when keyed, the same for the window's language. */
export interface ProbeReason {
  readonly reason: string;
  readonly text?: MessageText | undefined;
}

/** Answers whether one method can reach an environment now: resolves with why it is healthy, or throws why not. */
export interface MethodProbe {
  probe(env: EnvironmentRecord, method: ConnectionMethod): Promise<ProbeReason>;
}

/** Reasons joined the way main joins them ("VPN up; …"), keyed when each part is. */
function joined(key: string, first: ProbeReason, second: ProbeReason): ProbeReason {
  const reason = `${first.reason}; ${second.reason}`;
  return first.text === undefined || second.text === undefined ? { reason } : { reason, text: { key, parts: { first: [first.text], second: [second.text] } } };
}

const vpnUp: ProbeReason = { reason: 'VPN up', text: { key: 'statusReasons.probe.vpnUp' } };

export function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => AppError): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** host and port of a URL (the API server, or its proxy-url), with the scheme's default port. */
export function endpointOf(url: string): { host: string; port: number } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    const server = url.replace(/\/\/[^@/]*@/, '//***@');
    throw new AppError('KUBECONFIG_INVALID', `The server address "${server}" is not a URL.`, undefined, { key: 'connections.probes.serverNotUrl', params: { server } });
  }
  const defaults: Record<string, number> = { 'https:': 443, 'http:': 80, 'socks5:': 1080, 'socks5h:': 1080, 'socks:': 1080 };
  const port = parsed.port === '' ? (defaults[parsed.protocol] ?? 443) : Number(parsed.port);
  return { host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}

/**
 * The health probes behind Auto. Direct: a TCP connection to the API server (or its proxy) or
 * `_ping` on the local socket. Direct SSH: the pooled client is up and, for a cluster, the SSH
 * host can open a connection to the API server. VPN: the profile's tunnel comes up and the
 * target answers through it.
 */
export class MethodProbes implements MethodProbe {
  private readonly ssh: SshPools;
  private readonly vpn: VpnGateway;
  private readonly timeoutMs: number;

  constructor(options: { ssh: SshPools; vpn: VpnGateway; timeoutMs?: number }) {
    this.ssh = options.ssh;
    this.vpn = options.vpn;
    this.timeoutMs = options.timeoutMs ?? 8_000;
  }

  async probe(env: EnvironmentRecord, method: ConnectionMethod): Promise<ProbeReason> {
    if (method === 'vpn') {
      const profileId = env.access.vpnProfileId;
      if (profileId === undefined) throw new AppError('INVALID_INPUT', 'The VPN method needs a registered VPN profile.', undefined, { key: 'connections.methods.vpnNeedsProfile' });
      await this.vpn.bringUp(profileId);
      if (env.target.kind === 'engine') return joined('statusReasons.probe.joined', vpnUp, await this.sshReady(env));
      const { host, port } = endpointOf(env.target.context.server);
      const health = await this.vpn.probe(host, port, this.timeoutMs, profileId);
      if (!health.healthy) throw new AppError('UNREACHABLE', `The VPN is up but the API server does not answer through it: ${health.reason}`, undefined, { key: 'connections.probes.vpnApiSilent', params: { detail: health.reason }, ...detailPart(health.text) });
      return joined('statusReasons.probe.joined', vpnUp, health);
    }
    if (method === 'ssh') {
      const ready = await this.sshReady(env);
      if (env.target.kind !== 'kubernetes') return ready;
      return joined('statusReasons.probe.joined', ready, await this.apiServerFromSshHost(env, env.target.context.server));
    }
    if (env.target.kind === 'engine' && env.target.tcp) {
      // The TLS handshake needs the keychain's certificates: the probe only checks the port; the API answers on first use.
      const health = await probeTcp(env.target.tcp.host, env.target.tcp.port, this.timeoutMs);
      if (!health.healthy) throw new AppError('UNREACHABLE', `The Docker daemon at ${env.target.socketPath} cannot be reached: ${health.reason}`, undefined, { key: 'connections.probes.dockerTcpUnreachable', params: { socketPath: env.target.socketPath, detail: health.reason }, ...detailPart(health.text) });
      return health;
    }
    if (env.target.kind === 'engine') return this.pingSocket(env.target.socketPath);
    const proxy = env.target.context.proxyUrl ?? proxyFor(env.target.context.server, proxyEnvironmentOf(process.env));
    const { host, port } = endpointOf(proxy ?? env.target.context.server);
    const health = await probeTcp(host, port, this.timeoutMs);
    if (!health.healthy) {
      throw new AppError('UNREACHABLE', `${proxy ? 'The proxy of the API server' : 'The API server'} cannot be reached from this computer: ${health.reason}`, undefined, {
        key: proxy ? 'connections.probes.proxyUnreachable' : 'connections.probes.apiServerUnreachable',
        params: { detail: health.reason },
        ...detailPart(health.text),
      });
    }
    return health;
  }

  private async sshReady(env: EnvironmentRecord): Promise<ProbeReason> {
    const host = env.access.ssh;
    if (host === undefined) throw new AppError('INVALID_INPUT', 'Direct SSH needs an SSH host, port, user and identity.', undefined, { key: 'connections.methods.sshNeedsHost' });
    const label = targetLabel(host);
    await withDeadline(this.ssh.connection(host).ready(), this.timeoutMs + 2_000, () => new AppError('UNREACHABLE', `Cannot reach ${label}: no SSH connection within ${this.timeoutMs / 1000} s.`, undefined, { key: 'connections.probes.sshNotUp', params: { host: label, seconds: this.timeoutMs / 1000 } }));
    return { reason: `SSH connection to ${label} is up`, text: { key: 'statusReasons.probe.sshUp', params: { host: label } } };
  }

  private async apiServerFromSshHost(env: EnvironmentRecord, server: string): Promise<ProbeReason> {
    const host = env.access.ssh;
    if (host === undefined) throw new AppError('INVALID_INPUT', 'Direct SSH needs an SSH host.', undefined, { key: 'connections.methods.sshNeedsHostOnly' });
    const client = await this.ssh.connection(host).ready();
    const { host: apiHost, port } = endpointOf(server);
    await withDeadline(
      new Promise<void>((resolve, reject) => {
        client.forwardOut('127.0.0.1', 0, apiHost, port, (error, channel) => {
          if (error) {
            reject(new AppError('UNREACHABLE', `The SSH host ${targetLabel(host)} cannot open a connection to the API server ${apiHost}:${port} (${error.message}).`, undefined, { key: 'connections.probes.sshCannotOpenApi', params: { host: targetLabel(host), server: `${apiHost}:${port}`, detail: error.message } }));
            return;
          }
          channel.close();
          resolve();
        });
      }),
      this.timeoutMs,
      () => new AppError('UNREACHABLE', `The SSH host ${targetLabel(host)} did not connect to the API server ${apiHost}:${port} in time.`, undefined, { key: 'connections.probes.sshApiTimeout', params: { host: targetLabel(host), server: `${apiHost}:${port}` } }),
    );
    return { reason: `it reaches the API server ${apiHost}:${port}`, text: { key: 'statusReasons.probe.sshReachesApi', params: { server: `${apiHost}:${port}` } } };
  }

  private async pingSocket(socketPath: string): Promise<ProbeReason> {
    const docker = new Docker({ socketPath, timeout: this.timeoutMs });
    try {
      await docker.ping();
      return { reason: `the engine socket ${socketPath} answers`, text: { key: 'statusReasons.probe.socketAnswers', params: { socketPath } } };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const [why, key] =
        code === 'ENOENT'
          ? ['does not exist', 'socketMissing']
          : code === 'EACCES'
            ? ['cannot be opened (permission denied)', 'socketDenied']
            : code === 'ECONNREFUSED'
              ? ['refuses connections (is the engine running?)', 'socketRefused']
              : ['does not answer', 'socketSilent'];
      throw new AppError('UNAVAILABLE', `The engine socket ${socketPath} ${why}.`, { socketPath }, { key: `connections.probes.${key}`, params: { socketPath } });
    }
  }
}
