import { randomUUID } from 'node:crypto';
import type { V1Deployment } from '@kubernetes/client-node';
import type { ContainerInfo } from 'dockerode';
import type { CatalogEnvironment, CatalogListing, ServiceRow, ServiceTarget } from '../../../shared/contract/catalog.ts';
import { AppError, toErrorBody, type MessageText } from '../../../shared/errors.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { EnvironmentRecord, EnvironmentRepository } from '../environments/environment-repository.ts';
import { composeProjectLabel, containerName } from '../operations/containers/engine.ts';
import { groupIntoServices } from '../operations/containers/service-discovery.ts';
import type { CatalogSettings} from './catalog-settings.ts';
import { targetSummary, type ManualService } from './catalog-settings.ts';
import type { EnvironmentDiscovery, EnvironmentSnapshot } from './environment-discovery.ts';
import { discoveredIdOf, parseServiceId, serviceId } from './service-id.ts';
import { OpeningRead } from '../services/opening-read.ts';
import { containersStatus, deploymentStatus, notFound, type ServiceStatus } from './service-status.ts';

/** A service as the rest of main needs it: where it lives and what it points at. */
export interface CatalogService {
  readonly id: string;
  readonly name: string;
  readonly environment: EnvironmentRecord;
  readonly target: ServiceTarget;
  readonly source: 'discovered' | 'manual';
}

type RowDraft = Omit<ServiceRow, 'favourite'>;
type EnvironmentListing = { rows: RowDraft[]; state: CatalogEnvironment };

export interface ServiceCatalogPorts {
  readonly environments: EnvironmentRepository;
  readonly discovery: EnvironmentDiscovery;
  readonly settings: CatalogSettings;
  readonly trail: AuditTrail;
}

/**
 * Service Management's list: discovered services from every environment plus services
 * registered by hand, each environment read in parallel; an environment that fails becomes an
 * error state of its own while the others still list. Favourites are pinned on top.
 */
export class ServiceCatalog {
  private readonly environments: EnvironmentRepository;
  private readonly discovery: EnvironmentDiscovery;
  private readonly settings: CatalogSettings;
  private readonly trail: AuditTrail;

  constructor(ports: ServiceCatalogPorts) {
    this.environments = ports.environments;
    this.discovery = ports.discovery;
    this.settings = ports.settings;
    this.trail = ports.trail;
  }

  async list(environmentIds?: readonly string[]): Promise<CatalogListing> {
    const environments = this.environments.list();
    const manual = this.settings.manualServices();
    const wanted = environments.filter((env) => environmentIds === undefined || environmentIds.includes(env.id));
    const results = await ((environmentIds === undefined ? this.opening.take(() => this.basisOf(environments, manual)) : undefined) ?? this.read(wanted, manual));
    const favourites = this.settings.favourites();
    const services = results
      .flatMap((result) => result.rows)
      .map((row) => ({ ...row, favourite: favourites.has(row.id) }))
      .sort((a, b) => Number(b.favourite) - Number(a.favourite) || a.name.localeCompare(b.name) || a.environmentName.localeCompare(b.environmentName));
    return { services, environments: results.map((result) => result.state) };
  }

  /**
   * A window is opening, and every window opens on Service Management: reads every environment
   * now, while the window loads its code, and hands that read to the window's first list of every
   * environment (OpeningRead: taken once, within a few seconds, dropped when environments,
   * namespaces or registered services changed meanwhile); favourites are applied when it is taken.
   */
  warm(): void {
    if (this.opening.waiting) return;
    const environments = this.environments.list();
    const manual = this.settings.manualServices();
    this.opening.start(() => this.read(environments, manual), this.basisOf(environments, manual));
  }

  private readonly opening = new OpeningRead<EnvironmentListing[]>();

  /** What a read of every environment depends on besides the clusters and hosts themselves. */
  private basisOf(environments: readonly EnvironmentRecord[], manual: readonly ManualService[]): string {
    return JSON.stringify([environments, environments.map((env) => this.settings.namespaces(env.id)), manual]);
  }

  private read(wanted: readonly EnvironmentRecord[], manual: readonly ManualService[]): Promise<EnvironmentListing[]> {
    return Promise.all(wanted.map((env) => this.listEnvironment(env, manual.filter((service) => service.environmentId === env.id))));
  }

  /** Picked namespaces, else the environment's own (its kubeconfig context's, or `default`). */
  namespacesOf(env: EnvironmentRecord): string[] {
    const picked = this.settings.namespaces(env.id);
    if (picked !== null && picked.length > 0) return picked;
    return [env.target.kind === 'kubernetes' ? (env.target.context.namespace ?? 'default') : 'default'];
  }

  async namespaceChoices(environmentId: string): Promise<{ selected: string[]; available: string[]; problem?: string; problemText?: MessageText }> {
    const env = this.kubernetesEnvironment(environmentId);
    const selected = this.namespacesOf(env);
    const found = await this.discovery.namespaces(env);
    return 'names' in found ? { selected, available: found.names } : { selected, available: [], ...found };
  }

  /** Which namespaces the catalog shows decides which services an operator sees and acts on: audited. */
  setNamespaces(environmentId: string, namespaces: readonly string[]): Promise<string[]> {
    const env = this.kubernetesEnvironment(environmentId);
    return this.trail.audited(
      { action: 'catalog.set-namespaces', target: env.name, environmentId: env.id, details: { namespaces: [...namespaces], before: this.namespacesOf(env) } },
      () => this.settings.setNamespaces(environmentId, namespaces),
    );
  }

  setFavourite(id: string, favourite: boolean): boolean {
    this.resolve(id);
    this.settings.setFavourite(id, favourite);
    return favourite;
  }

  register(input: { name: string; environmentId: string; target: ServiceTarget }): Promise<{ id: string }> {
    const env = this.environments.get(input.environmentId);
    const fits = input.target.kind === 'deployment' ? env.kind === 'kubernetes' : env.kind !== 'kubernetes';
    if (!fits) throw new AppError('INVALID_INPUT', `A ${targetSummary(input.target)} cannot live in "${env.name}" (${env.kind}).`, undefined, misplacedText(input.target, env));
    const id = serviceId(env.id, 'manual', randomUUID());
    return this.trail.audited(
      { action: 'service.register', target: input.name, environmentId: env.id, details: { serviceId: id, points: targetSummary(input.target) } },
      () => {
        this.settings.addManual({ id, name: input.name, environmentId: env.id, target: input.target, createdAt: new Date().toISOString() });
        return { id };
      },
    );
  }

  unregister(id: string): Promise<{ removed: true }> {
    const service = this.settings.manualServices().find((candidate) => candidate.id === id);
    if (service === undefined) throw new AppError('NOT_FOUND', 'Only services registered by hand can be removed, and this one is not registered.', undefined, { key: 'environments.catalog.onlyManualRemovable' });
    return this.trail.audited({ action: 'service.unregister', target: service.name, environmentId: service.environmentId, details: { serviceId: id } }, () => {
      this.settings.removeManual(id);
      this.settings.setFavourite(id, false);
      return { removed: true as const };
    });
  }

  /** The service behind an id, without asking the runtime (the Operations Modal's first step). */
  resolve(id: string): CatalogService {
    const parsed = parseServiceId(id);
    const environment = this.environments.get(parsed.environmentId);
    if (parsed.kind === 'manual') {
      const manual = this.settings.manualServices().find((candidate) => candidate.id === id);
      if (manual === undefined) throw new AppError('NOT_FOUND', 'This service is no longer registered.', undefined, { key: 'environments.catalog.noLongerRegistered' });
      return { id, name: manual.name, environment, target: manual.target, source: 'manual' };
    }
    if (parsed.kind === 'deployment') {
      const { namespace, deployment } = parsed;
      if (environment.kind !== 'kubernetes') throw new AppError('INVALID_INPUT', 'A Deployment id must name a Kubernetes environment.', undefined, { key: 'environments.catalog.deploymentNeedsKubernetes' });
      return { id, name: deployment, environment, target: { kind: 'deployment', namespace, deployment }, source: 'discovered' };
    }
    if (environment.kind === 'kubernetes') throw new AppError('INVALID_INPUT', 'A container id must name a Docker or Podman environment.', undefined, { key: 'environments.catalog.containerNeedsEngine' });
    const [name, target]: [string, ServiceTarget] =
      parsed.kind === 'compose' ? [parsed.project, { kind: 'compose', project: parsed.project }] : [parsed.containerName, { kind: 'containers', containerNames: [parsed.containerName] }];
    return { id, name, environment, target, source: 'discovered' };
  }

  private kubernetesEnvironment(environmentId: string): EnvironmentRecord {
    const env = this.environments.get(environmentId);
    if (env.kind !== 'kubernetes') throw new AppError('INVALID_INPUT', `"${env.name}" is not a Kubernetes cluster; it has no namespaces.`, undefined, { key: 'environments.catalog.notKubernetes', params: { name: env.name } });
    return env;
  }

  private async listEnvironment(env: EnvironmentRecord, manual: readonly ManualService[]): Promise<EnvironmentListing> {
    const state: CatalogEnvironment = { environmentId: env.id, environmentName: env.name, runtime: env.kind, production: env.production, state: 'ok' };
    const namespaces = env.kind === 'kubernetes' ? this.namespacesOf(env) : [];
    if (env.kind === 'kubernetes') state.namespaces = namespaces;
    const extra = manual.flatMap((service) => (service.target.kind === 'deployment' ? [service.target.namespace] : []));
    try {
      const snapshot = await this.discovery.snapshot(env, [...new Set([...namespaces, ...extra])]);
      const hidden = new Set(manual.map((service) => discoveredIdOf(env.id, service.target)));
      const discovered = discoveredRows(env, snapshot, namespaces).filter((row) => !hidden.has(row.id));
      const rows = [...discovered, ...manual.map((service) => manualRow(env, service, snapshot))];
      this.settings.setLastKnown(env.id, rows, new Date().toISOString());
      return { rows, state };
    } catch (error) {
      const body = toErrorBody(error);
      const keyed = body.messageKey === undefined ? {} : { messageKey: body.messageKey, ...(body.params === undefined ? {} : { params: body.params }) };
      const failed: CatalogEnvironment = { ...state, state: 'error', error: { code: body.code, message: body.message, ...keyed } };
      return this.lastKnownRows(env, manual, failed);
    }
  }

  /**
   * An unreachable environment keeps the services it had when last reached (also across an app
   * restart), marked stale, so they stay listed and their Operations Modal can still be opened.
   */
  private lastKnownRows(env: EnvironmentRecord, manual: readonly ManualService[], failed: CatalogEnvironment): { rows: RowDraft[]; state: CatalogEnvironment } {
    const known = this.settings.lastKnown(env.id);
    const manualIds = new Set(manual.map((service) => service.id));
    // A service registered by hand and then unregistered must not come back from the cache.
    const rows: RowDraft[] = (known?.rows ?? [])
      .filter((row) => row.source === 'discovered' || manualIds.has(row.id))
      .map((row) => ({ ...row, environmentName: env.name, production: env.production, stale: true }));
    const listed = new Set(rows.map((row) => row.id));
    for (const service of manual) if (!listed.has(service.id)) rows.push({ ...baseRow(env, service.id, service.name, service.target, notFound, 'manual'), stale: true });
    return { rows, state: known === null ? failed : { ...failed, lastSeenAt: known.at } };
  }
}

function baseRow(env: EnvironmentRecord, id: string, name: string, target: ServiceTarget, status: ServiceStatus, source: RowDraft['source']): RowDraft {
  return {
    id,
    name,
    environmentId: env.id,
    environmentName: env.name,
    runtime: env.kind,
    production: env.production,
    ...(target.kind === 'deployment' ? { namespace: target.namespace } : {}),
    target,
    status: { ...status },
    source,
  };
}

function deploymentRowStatus(deployment: V1Deployment | undefined): ServiceStatus {
  if (deployment === undefined) return notFound;
  return deploymentStatus(deployment.status?.readyReplicas ?? 0, deployment.spec?.replicas ?? 1);
}

function discoveredRows(env: EnvironmentRecord, snapshot: EnvironmentSnapshot, namespaces: readonly string[]): RowDraft[] {
  if (snapshot.kind === 'kubernetes') {
    return namespaces.flatMap((namespace) =>
      (snapshot.deployments.get(namespace) ?? []).map((deployment) => {
        const name = deployment.metadata?.name ?? '';
        const target: ServiceTarget = { kind: 'deployment', namespace, deployment: name };
        return baseRow(env, serviceId(env.id, 'deployment', `${namespace}/${name}`), name, target, deploymentRowStatus(deployment), 'discovered');
      }),
    );
  }
  return groupIntoServices(snapshot.containers).map((group) => {
    const target: ServiceTarget = group.selector.kind === 'compose' ? { kind: 'compose', project: group.selector.project } : { kind: 'containers', containerNames: [group.selector.containerName] };
    const members = snapshot.containers.filter((info) => group.members.some((member) => member.id === info.Id));
    const id = serviceId(env.id, group.selector.kind === 'compose' ? 'compose' : 'container', group.name);
    return baseRow(env, id, group.name, target, containersStatus(members), 'discovered');
  });
}

function manualRow(env: EnvironmentRecord, service: ManualService, snapshot: EnvironmentSnapshot): RowDraft {
  const { target } = service;
  let status: ServiceStatus = notFound;
  if (snapshot.kind === 'kubernetes' && target.kind === 'deployment') {
    status = deploymentRowStatus((snapshot.deployments.get(target.namespace) ?? []).find((deployment) => deployment.metadata?.name === target.deployment));
  } else if (snapshot.kind === 'engine' && target.kind !== 'deployment') {
    status = containersStatus(membersOf(snapshot.containers, target));
  }
  return baseRow(env, service.id, service.name, target, status, 'manual');
}

function membersOf(containers: readonly ContainerInfo[], target: Exclude<ServiceTarget, { kind: 'deployment' }>): ContainerInfo[] {
  if (target.kind === 'compose') return containers.filter((info) => info.Labels?.[composeProjectLabel] === target.project);
  return containers.filter((info) => target.containerNames.includes(containerName(info.Names)));
}

/** `A <target> cannot live in "<environment>"` as a key: one sentence per kind of target. */
function misplacedText(target: ServiceTarget, env: EnvironmentRecord): MessageText {
  const where = { name: env.name, kind: env.kind };
  if (target.kind === 'deployment') return { key: 'environments.catalog.deploymentMisplaced', params: { namespace: target.namespace, deployment: target.deployment, ...where } };
  if (target.kind === 'compose') return { key: 'environments.catalog.composeMisplaced', params: { project: target.project, ...where } };
  return { key: 'environments.catalog.containersMisplaced', params: { containers: target.containerNames.join(', '), ...where } };
}
