import type { ContainerInspectInfo } from 'dockerode';
import { classifyContainerState, healthFromInspect, isoOrNull, type ContainerHealth, type ContainerPort, type ContainerStateTone } from './container-rows.ts';
import { composeProjectLabel, composeServiceLabel, containerName, type EngineConnection } from './engine.ts';

/** The Overview tab for one container: slim and JSON-able. */
export interface ContainerOverview {
  readonly id: string;
  readonly name: string;
  readonly state: string;
  readonly stateTone: ContainerStateTone;
  readonly exitCode: number | null;
  readonly image: string;
  readonly imageId: string;
  readonly ports: readonly ContainerPort[];
  readonly restartPolicy: { readonly name: string; readonly maximumRetryCount: number };
  /** Seconds since the current run started; null when not running. */
  readonly uptimeSeconds: number | null;
  readonly health: ContainerHealth | null;
  readonly healthFailingStreak: number | null;
  readonly composeProject: string | null;
  readonly composeService: string | null;
  /** Entrypoint path and arguments as argv (never joined into a shell string). */
  readonly command: readonly string[];
  readonly createdAt: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

type PortBindings = Record<string, { HostIp?: string; HostPort?: string }[] | null> | undefined;

/** `"8080/tcp": [{HostIp, HostPort}]` → rows; exposed ports without a binding keep hostPort null. */
export function portsOf(bindings: PortBindings): ContainerPort[] {
  const ports: ContainerPort[] = [];
  for (const [key, hosts] of Object.entries(bindings ?? {})) {
    const [port = '0', protocol = 'tcp'] = key.split('/');
    const containerPort = Number(port);
    if (hosts === null || hosts.length === 0) ports.push({ containerPort, protocol, hostPort: null, hostIp: null });
    for (const host of hosts ?? []) {
      ports.push({ containerPort, protocol, hostPort: host.HostPort ? Number(host.HostPort) : null, hostIp: host.HostIp || null });
    }
  }
  return ports.sort((left, right) => left.containerPort - right.containerPort);
}

export function overviewOf(info: ContainerInspectInfo, now: Date): ContainerOverview {
  const labels = info.Config.Labels ?? {};
  const tone = classifyContainerState(info.State.Status, info.State.Status);
  const startedAt = isoOrNull(info.State.StartedAt);
  const running = tone === 'running' && startedAt !== null;
  const restart = info.HostConfig.RestartPolicy;
  return {
    id: info.Id,
    name: containerName(info.Name),
    state: info.State.Status,
    stateTone: tone,
    exitCode: tone === 'exited' ? info.State.ExitCode : null,
    image: info.Config.Image,
    imageId: info.Image,
    ports: portsOf((info.NetworkSettings.Ports as PortBindings) ?? (info.HostConfig.PortBindings as PortBindings)),
    restartPolicy: { name: restart?.Name || 'no', maximumRetryCount: restart?.MaximumRetryCount ?? 0 },
    uptimeSeconds: running ? Math.max(0, Math.floor((now.getTime() - Date.parse(startedAt)) / 1000)) : null,
    health: healthFromInspect(info.State.Health?.Status),
    healthFailingStreak: healthFromInspect(info.State.Health?.Status) === null ? null : (info.State.Health?.FailingStreak ?? null),
    composeProject: labels[composeProjectLabel] ?? null,
    composeService: labels[composeServiceLabel] ?? null,
    command: [info.Path, ...(info.Args ?? [])].filter((part) => part !== ''),
    createdAt: isoOrNull(info.Created),
    startedAt,
    finishedAt: isoOrNull(info.State.FinishedAt),
  };
}

export class ContainerOverviewReader {
  private readonly engine: EngineConnection;
  private readonly now: () => Date;

  constructor(engine: EngineConnection, options: { now?: () => Date } = {}) {
    this.engine = engine;
    this.now = options.now ?? (() => new Date());
  }

  async overview(containerId: string): Promise<ContainerOverview> {
    return overviewOf(await this.engine.docker.getContainer(containerId).inspect(), this.now());
  }
}
