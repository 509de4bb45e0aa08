import type { ContainerInfo, ContainerInspectInfo } from 'dockerode';
import { engineConcurrencyFor, mapWithConcurrency } from './bounded-parallel.ts';
import { composeProjectLabel, composeServiceLabel, containerName, type EngineConnection } from './engine.ts';

/** How the Container List colours a row; the spec's rules, not the engine's raw state. */
export type ContainerStateTone = 'running' | 'exited' | 'paused' | 'created' | 'other';
export type ContainerAction = 'restart';
export type ContainerHealth = 'healthy' | 'unhealthy' | 'starting';

export interface ContainerPort {
  readonly containerPort: number;
  readonly protocol: string;
  readonly hostPort: number | null;
  readonly hostIp: string | null;
}

/** One Container List row: only what the table shows, JSON-able. */
export interface ContainerRow {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  /** The engine's state word (`running`, `exited`, …). */
  readonly state: string;
  /** The engine's status sentence (`Up 5 minutes (healthy)`). */
  readonly statusText: string;
  readonly stateTone: ContainerStateTone;
  readonly actionsAvailable: readonly ContainerAction[];
  readonly ports: readonly ContainerPort[];
  /** ISO 8601. */
  readonly createdAt: string;
  /** ISO 8601; null when the container never started or inspect failed. */
  readonly startedAt: string | null;
  readonly composeProject: string | null;
  readonly composeService: string | null;
  /** Only when the container has a health check and the engine reported it. */
  readonly health: ContainerHealth | null;
}

/**
 * The spec's container status rules: paused and created are their own tones (they get no
 * action), exited is exited; otherwise any state or status containing "up" counts as running,
 * whatever its case. Paused is decided first because Docker's status for a paused container is
 * "Up 3 minutes (Paused)".
 */
export function classifyContainerState(state: string, statusText: string): ContainerStateTone {
  const word = state.trim().toLowerCase();
  if (word === 'paused') return 'paused';
  if (word === 'created' || word === 'configured') return 'created';
  if (word === 'exited' || word === 'stopped') return 'exited';
  if (word === 'running' || /up/i.test(state) || /up/i.test(statusText)) return 'running';
  return 'other';
}

/** Only running and exited containers have an action (Restart); the spec gives paused/created none. */
export function actionsFor(tone: ContainerStateTone): readonly ContainerAction[] {
  return tone === 'running' || tone === 'exited' ? ['restart'] : [];
}

/** Docker appends "(healthy)" / "(unhealthy)" / "(health: starting)" to the status of checked containers. */
export function healthFromStatusText(statusText: string): ContainerHealth | null {
  const match = /\((healthy|unhealthy|health: starting)\)/i.exec(statusText);
  if (match === null) return null;
  const word = (match[1] ?? '').toLowerCase();
  return word === 'healthy' ? 'healthy' : word === 'unhealthy' ? 'unhealthy' : 'starting';
}

/** Inspect's State.Health.Status; Podman reports an empty string when there is no health check. */
export function healthFromInspect(status: string | undefined): ContainerHealth | null {
  const word = (status ?? '').toLowerCase();
  return word === 'healthy' || word === 'unhealthy' || word === 'starting' ? word : null;
}

/** Go's zero time ("0001-01-01T00:00:00Z") means "never". */
export function isoOrNull(value: string | undefined): string | null {
  if (value === undefined || value === '' || value.startsWith('0001-01-01')) return null;
  return Number.isNaN(Date.parse(value)) ? null : value;
}

export interface InspectFacts {
  readonly startedAt: string | null;
  readonly health: ContainerHealth | null;
}

export function inspectFacts(info: ContainerInspectInfo): InspectFacts {
  return { startedAt: isoOrNull(info.State.StartedAt), health: healthFromInspect(info.State.Health?.Status) };
}

export function containerRowOf(info: ContainerInfo, facts: InspectFacts | null): ContainerRow {
  const labels = info.Labels ?? {};
  const tone = classifyContainerState(info.State, info.Status);
  return {
    id: info.Id,
    name: containerName(info.Names),
    image: info.Image,
    state: info.State,
    statusText: info.Status,
    stateTone: tone,
    actionsAvailable: actionsFor(tone),
    ports: (info.Ports ?? []).map((port) => ({
      containerPort: port.PrivatePort,
      protocol: port.Type,
      hostPort: port.PublicPort ?? null,
      hostIp: port.IP ?? null,
    })),
    createdAt: new Date(info.Created * 1000).toISOString(),
    startedAt: facts?.startedAt ?? null,
    composeProject: labels[composeProjectLabel] ?? null,
    composeService: labels[composeServiceLabel] ?? null,
    health: facts?.health ?? healthFromStatusText(info.Status),
  };
}

/**
 * Builds rows for listed containers. List results carry neither the start time nor (on Podman)
 * the health, so each container is inspected too, as many at a time as the engine's link allows
 * (`engineConcurrencyFor`). A container removed between
 * list and inspect keeps its list facts instead of failing the whole table.
 */
export class ContainerRowReader {
  private readonly engine: EngineConnection;
  private readonly concurrency: number | undefined;

  constructor(engine: EngineConnection, options: { concurrency?: number } = {}) {
    this.engine = engine;
    this.concurrency = options.concurrency;
  }

  async rows(containers: readonly ContainerInfo[]): Promise<ContainerRow[]> {
    const rows = await mapWithConcurrency(containers, this.concurrency ?? engineConcurrencyFor(this.engine), async (info) => {
      const facts = await this.engine.docker
        .getContainer(info.Id)
        .inspect()
        .then(inspectFacts, () => null);
      return containerRowOf(info, facts);
    });
    return rows.sort((left, right) => left.name.localeCompare(right.name));
  }
}
