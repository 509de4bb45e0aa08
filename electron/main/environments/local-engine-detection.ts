import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { EngineCandidate } from '../../../shared/contract/environments.ts';
import { problemOf } from './view-problem.ts';
import { DockerContextReader } from './docker-contexts.ts';
import { identifyEngine } from './engine-identity.ts';
import { whereOf } from '../../../shared/message-params.ts';

type Source = EngineCandidate['source'];
interface Candidate {
  engine: 'docker' | 'podman';
  socketPath: string;
  source: Source;
  contextName?: string;
  /** Named explicitly (DOCKER_HOST, a docker context): listed even when the socket is missing. */
  explicit: boolean;
}

export interface HostEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly uid?: number;
}

/**
 * Finds local engine sockets the way the CLIs would: Docker's default socket, DOCKER_HOST,
 * docker contexts ($DOCKER_CONFIG or ~/.docker), Podman's rootful and rootless sockets and
 * `podman machine` sockets. Each candidate is asked `_ping`, then what it is (engine-identity.ts): the
 * path only says where to look, never which engine answers. Only unix sockets are local candidates.
 */
export class LocalEngineDetection {
  private readonly host: HostEnvironment;
  private readonly pingTimeoutMs: number;

  constructor(host: HostEnvironment, pingTimeoutMs = 3_000) {
    this.host = host;
    this.pingTimeoutMs = pingTimeoutMs;
  }

  async detect(alreadyAdded: ReadonlySet<string>): Promise<EngineCandidate[]> {
    const seen = new Set<string>();
    const unique = (await this.candidates()).filter((c) => (seen.has(c.socketPath) ? false : (seen.add(c.socketPath), true)));
    const present = await Promise.all(unique.map(async (c) => ({ c, exists: await isSocket(c.socketPath) })));
    return Promise.all(present.filter(({ c, exists }) => exists || c.explicit).map(({ c, exists }) => this.check(c, exists, alreadyAdded.has(c.socketPath))));
  }

  private async candidates(): Promise<Candidate[]> {
    const { env } = this.host;
    const list: Candidate[] = [{ engine: 'docker', socketPath: '/var/run/docker.sock', source: 'default', explicit: false }];
    const fromDockerHost = unixPath(env.DOCKER_HOST);
    if (fromDockerHost) list.push({ engine: 'docker', socketPath: fromDockerHost, source: 'DOCKER_HOST', explicit: true });
    list.push(...(await this.dockerContexts()));
    list.push({ engine: 'podman', socketPath: '/run/podman/podman.sock', source: 'podman-rootful', explicit: false });
    const runtimeDir = env.XDG_RUNTIME_DIR ?? (this.host.uid === undefined ? undefined : `/run/user/${this.host.uid}`);
    if (runtimeDir) list.push({ engine: 'podman', socketPath: join(runtimeDir, 'podman', 'podman.sock'), source: 'podman-rootless', explicit: false });
    list.push(...(await this.podmanMachines(runtimeDir)));
    return list;
  }

  /** unix:// Docker contexts; ssh:// and tcp:// ones are offered by "From a Docker context". */
  private async dockerContexts(): Promise<Candidate[]> {
    const { contexts } = await new DockerContextReader(this.host).read();
    return contexts.flatMap((context) =>
      context.name !== 'default' && context.endpoint?.kind === 'unix'
        ? [{ engine: 'docker' as const, socketPath: context.endpoint.socketPath, source: 'docker-context' as const, contextName: context.name, explicit: true }]
        : [],
    );
  }

  /**
   * `podman machine` API sockets: <data home>/containers/podman/machine/<provider>/podman.sock
   * (Podman 4) and <runtime or temp dir>/podman/<machine>-api.sock (Podman 5).
   */
  private async podmanMachines(runtimeDir: string | undefined): Promise<Candidate[]> {
    const { env, homeDir } = this.host;
    const machineDir = join(env.XDG_DATA_HOME || join(homeDir, '.local', 'share'), 'containers', 'podman', 'machine');
    const providers = (await readdir(machineDir).catch(() => [] as string[])).sort();
    const found = providers.map((provider) => join(machineDir, provider, 'podman.sock'));
    for (const dir of new Set([runtimeDir, env.TMPDIR].filter((d): d is string => Boolean(d)).map((d) => join(d, 'podman')))) {
      const names = (await readdir(dir).catch(() => [] as string[])).sort();
      found.push(...names.filter((name) => name.endsWith('-api.sock')).map((name) => join(dir, name)));
    }
    return found.map((socketPath) => ({ engine: 'podman', socketPath, source: 'podman-machine', explicit: false }));
  }

  private async check(candidate: Candidate, exists: boolean, alreadyAdded: boolean): Promise<EngineCandidate> {
    const base = { engine: candidate.engine, socketPath: candidate.socketPath, source: candidate.source, alreadyAdded, ...(candidate.contextName ? { contextName: candidate.contextName } : {}) };
    if (!exists) return { ...base, answers: false, problem: `No socket at ${candidate.socketPath}.`, problemText: { key: 'environments.engine.noSocket', params: { path: candidate.socketPath } } };
    const docker = new Docker({ socketPath: candidate.socketPath, timeout: this.pingTimeoutMs });
    try {
      await docker.ping();
      const identity = await identifyEngine(docker, whereOf('socket', candidate.socketPath));
      return { ...base, engine: identity.kind, answers: true, ...(identity.version ? { version: identity.version } : {}) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const fallback = code === 'EACCES' ? 'Permission denied (is your user in the docker group?).' : 'The socket does not answer _ping (is the engine running?).';
      return { ...base, answers: false, ...problemOf(error, fallback, { key: code === 'EACCES' ? 'environments.engine.permissionDenied' : 'environments.engine.noPing' }) };
    }
  }
}

function unixPath(host: string | undefined): string | undefined {
  if (!host?.startsWith('unix://')) return undefined;
  const path = host.slice('unix://'.length);
  return path.startsWith('/') ? path : undefined;
}

async function isSocket(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  return info?.isSocket() ?? false;
}
