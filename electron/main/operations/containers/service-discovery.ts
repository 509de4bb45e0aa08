import type { ContainerInfo } from 'dockerode';
import { composeProjectLabel, composeServiceLabel, containerName, type EngineConnection } from './engine.ts';
import { classifyContainerState } from './container-rows.ts';

/**
 * What the Operations Modal opens on an engine: a Compose project (all containers labelled
 * with it) or one container that belongs to no project.
 */
export type ServiceSelector = { readonly kind: 'compose'; readonly project: string } | { readonly kind: 'standalone'; readonly containerName: string };

export interface ServiceMember {
  readonly id: string;
  readonly name: string;
  /** The Compose service name (`web`, `db`); null for a standalone container. */
  readonly composeService: string | null;
}

/** One row of the service catalogue: slim, JSON-able. */
export interface ServiceSummary {
  readonly selector: ServiceSelector;
  /** Stable key for tables: `compose:<project>` or `container:<name>`. */
  readonly key: string;
  readonly name: string;
  readonly containerCount: number;
  readonly runningCount: number;
  readonly images: readonly string[];
  readonly members: readonly ServiceMember[];
}

export function selectorKey(selector: ServiceSelector): string {
  return selector.kind === 'compose' ? `compose:${selector.project}` : `container:${selector.containerName}`;
}

export function selectorName(selector: ServiceSelector): string {
  return selector.kind === 'compose' ? selector.project : selector.containerName;
}

/** Whether a listed container (or an event's actor attributes) belongs to the service. */
export function belongsTo(selector: ServiceSelector, name: string, labels: Readonly<Record<string, string>>): boolean {
  const project = labels[composeProjectLabel];
  if (selector.kind === 'compose') return project === selector.project;
  return (project === undefined || project === '') && name === selector.containerName;
}

/** Pure: groups listed containers into services, projects first, then by name. */
export function groupIntoServices(containers: readonly ContainerInfo[]): ServiceSummary[] {
  const groups = new Map<string, { selector: ServiceSelector; members: ContainerInfo[] }>();
  for (const info of containers) {
    const project = info.Labels?.[composeProjectLabel];
    const selector: ServiceSelector = project ? { kind: 'compose', project } : { kind: 'standalone', containerName: containerName(info.Names) };
    const key = selectorKey(selector);
    const group = groups.get(key) ?? { selector, members: [] };
    group.members.push(info);
    groups.set(key, group);
  }
  return [...groups.entries()]
    .map(([key, { selector, members }]) => ({
      selector,
      key,
      name: selectorName(selector),
      containerCount: members.length,
      runningCount: members.filter((info) => classifyContainerState(info.State, info.Status) === 'running').length,
      images: [...new Set(members.map((info) => info.Image))].sort(),
      members: members
        .map((info) => ({ id: info.Id, name: containerName(info.Names), composeService: info.Labels?.[composeServiceLabel] ?? null }))
        .sort((left, right) => left.name.localeCompare(right.name)),
    }))
    .sort((left, right) => Number(right.selector.kind === 'compose') - Number(left.selector.kind === 'compose') || left.name.localeCompare(right.name));
}

/**
 * Engine-side filters narrowing a list or event stream to one service. Docker and Podman treat
 * the name filter as a pattern, so results are still checked exactly with `belongsTo`.
 */
export function engineFilters(selector: ServiceSelector): Record<string, string[]> {
  return selector.kind === 'compose' ? { label: [`${composeProjectLabel}=${selector.project}`] } : { name: [selector.containerName] };
}

export class ServiceDiscovery {
  private readonly engine: EngineConnection;

  constructor(engine: EngineConnection) {
    this.engine = engine;
  }

  async services(): Promise<ServiceSummary[]> {
    return groupIntoServices(await this.engine.docker.listContainers({ all: true }));
  }

  /** The service's containers, running or not, exactly (pattern matches removed). */
  async containersOf(selector: ServiceSelector): Promise<ContainerInfo[]> {
    const listed = await this.engine.docker.listContainers({ all: true, filters: engineFilters(selector) });
    return listed.filter((info) => belongsTo(selector, containerName(info.Names), info.Labels ?? {}));
  }
}
