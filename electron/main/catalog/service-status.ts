import type { ContainerInfo } from 'dockerode';
import type { ServiceHealth } from '../../../shared/contract/catalog.ts';
import { classifyContainerState } from '../operations/containers/container-rows.ts';

export interface ServiceStatus {
  readonly health: ServiceHealth;
  readonly ready: number;
  readonly desired: number;
}

/** Kubernetes: ready replicas against the Deployment's desired count. */
export function deploymentStatus(ready: number, desired: number): ServiceStatus {
  if (desired === 0) return { health: 'scaled-to-zero', ready, desired };
  if (ready >= desired) return { health: 'healthy', ready, desired };
  return { health: ready === 0 ? 'down' : 'degraded', ready, desired };
}

/** Docker/Podman: running containers against all of the service's containers. */
export function containersStatus(members: readonly ContainerInfo[]): ServiceStatus {
  const total = members.length;
  const running = members.filter((info) => classifyContainerState(info.State, info.Status) === 'running').length;
  if (total === 0) return notFound;
  if (running === total) return { health: 'healthy', ready: running, desired: total };
  return { health: running === 0 ? 'down' : 'degraded', ready: running, desired: total };
}

export const notFound: ServiceStatus = { health: 'not-found', ready: 0, desired: 0 };
