import { Agent, type AgentOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import Docker from 'dockerode';
import type { Client, ClientChannel } from 'ssh2';
import { AppError } from '../../../../shared/errors.ts';
import { execOnHost } from './remote-exec.ts';
import { posixCommandLine } from './shell-quote.ts';
import type { ChannelSource } from './socks-proxy.ts';

export type EngineKind = 'docker' | 'podman';

export interface RemoteEngineOptions {
  readonly engine: EngineKind;
  /** The engine socket on the SSH host, e.g. /var/run/docker.sock or /run/user/1000/podman/podman.sock. */
  readonly socketPath: string;
  /** Names the host in messages. */
  readonly hostLabel: string;
}

export type RemoteEngineTransport = 'streamlocal' | 'dial-stdio';

export interface RemoteEngine {
  readonly docker: Docker;
  /** How requests reach the engine; decided by the first request. */
  transport(): RemoteEngineTransport | undefined;
  /** Closes idle channels; the SSH connection itself belongs to the pool. */
  close(): void;
}

/**
 * An http.Agent whose "sockets" are SSH channels on the pooled client: one
 * `direct-streamlocal@openssh.com` channel to the engine socket per HTTP connection. When the
 * server refuses streamlocal forwarding (AllowStreamLocalForwarding no) but the socket exists,
 * it switches once to `docker|podman system dial-stdio` over ssh exec, which needs the engine
 * CLI on the host. In that mode a CLI failure shows up as a dropped HTTP connection.
 */
export class SshEngineAgent extends Agent {
  private readonly source: ChannelSource;
  private readonly engineOptions: RemoteEngineOptions;
  private mode: RemoteEngineTransport | undefined;

  constructor(source: ChannelSource, options: RemoteEngineOptions, agentOptions: AgentOptions = {}) {
    super({ keepAlive: false, ...agentOptions });
    this.source = source;
    this.engineOptions = options;
  }

  get transport(): RemoteEngineTransport | undefined {
    return this.mode;
  }

  override createConnection(_options: unknown, callback: (error: Error | null, stream?: Duplex) => void): undefined {
    this.openStream().then(
      (stream) => callback(null, stream),
      (error: Error) => callback(error),
    );
    return undefined;
  }

  private async openStream(): Promise<ClientChannel> {
    const client = await this.source.ready();
    if (this.mode !== 'dial-stdio') {
      try {
        const channel = await streamLocal(client, this.engineOptions.socketPath);
        this.mode = 'streamlocal';
        return channel;
      } catch (error) {
        // OpenSSH answers "open failed" (reason 2) both when forwarding is disabled and when the
        // socket is missing, so ask the host whether the socket is there before switching.
        if (this.mode === 'streamlocal' || !(await socketExists(client, this.engineOptions))) throw this.unreachableSocket(error);
        this.mode = 'dial-stdio';
      }
    }
    return dialStdio(client, this.engineOptions);
  }

  private unreachableSocket(error: unknown): AppError {
    const { engine, socketPath, hostLabel } = this.engineOptions;
    const engineName = engine === 'podman' ? 'Podman' : 'Docker';
    const detail = (error as Error).message.replace('(SSH) Channel open failure: ', '') || 'connect failed';
    return new AppError(
      'UNAVAILABLE',
      `Cannot open the ${engineName} socket ${socketPath} on ${hostLabel}: ${detail}. Is the engine running there, is the socket path right, and may the SSH user open it?`,
      { socketPath },
      { key: 'connections.ssh.engineSocketUnreachable', params: { engine: engineName, socketPath, host: hostLabel, detail } },
    );
  }
}

async function socketExists(client: Client, options: RemoteEngineOptions): Promise<boolean> {
  const result = await execOnHost(client, ['test', '-S', options.socketPath], { deadlineMs: 10_000, maxOutputBytes: 4096, hostLabel: options.hostLabel });
  return result.exitCode === 0;
}

function streamLocal(client: Client, socketPath: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.openssh_forwardOutStreamLocal(socketPath, (error, channel) => (error ? reject(error) : resolve(channel)));
  });
}

function dialStdio(client: Client, options: RemoteEngineOptions): Promise<ClientChannel> {
  const argv = [options.engine, ...(options.engine === 'docker' ? ['-H', `unix://${options.socketPath}`] : ['--url', `unix://${options.socketPath}`]), 'system', 'dial-stdio'];
  return new Promise((resolve, reject) => {
    client.exec(posixCommandLine(argv), (error, channel) => {
      if (error) reject(new AppError('UNAVAILABLE', `Cannot run "${options.engine} system dial-stdio" on ${options.hostLabel}: ${error.message}.`, undefined, { key: 'connections.ssh.dialStdioFailed', params: { engine: options.engine, host: options.hostLabel, detail: error.message } }));
      else resolve(channel);
    });
  });
}

/**
 * dockerode for an engine on an SSH host, over the pool's one SSH connection. The host name
 * in request URLs is a placeholder: the agent decides where bytes go.
 */
export function createRemoteEngine(source: ChannelSource, options: RemoteEngineOptions): RemoteEngine {
  const agent = new SshEngineAgent(source, options);
  // docker-modem passes `agent` to http.request (not in @types/dockerode, hence the widened type).
  const dockerOptions: Docker.DockerOptions & { agent: Agent } = { protocol: 'http', host: 'remote-engine.invalid', port: 80, agent };
  const docker = new Docker(dockerOptions);
  return {
    docker,
    transport: () => agent.transport,
    close: () => agent.destroy(),
  };
}
