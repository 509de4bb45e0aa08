import type Docker from 'dockerode';
import type { ImageHistoryEntryView, RedeployResult } from '../../../../shared/contract/deployments.ts';
import { AppError } from '../../../../shared/errors.ts';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { CallHandlers } from '../../ipc/router.ts';
import { containerName } from '../containers/engine.ts';
import { belongsTo, engineFilters } from '../containers/service-discovery.ts';
import { localTagsOf } from '../deployments/container-images.ts';
import { ContainerRedeploy } from '../deployments/container-redeploy.ts';
import { composeServiceOf, imageFactsOf, type ImageHistory, type ImageHistoryEntry, type ImageHistorySource } from '../deployments/image-history.ts';
import { ServiceRollout, type RolloutOutcome } from '../deployments/service-rollout.ts';
import type { EngineTarget, ServiceTargets } from './service-targets.ts';

type EngineDeploymentCalls = Pick<CallHandlers, 'containers.deployment' | 'containers.redeploy' | 'containers.rollback'>;

export interface EngineDeploymentOptions {
  readonly targets: ServiceTargets;
  readonly trail: Pick<AuditTrail, 'audited'>;
  readonly operator: string;
  readonly history: ImageHistory;
  readonly now?: () => Date;
}

/**
 * The Docker/Podman side of Deployment Management: the containers with their images and the
 * image history (recorded on first sight and on every change the app makes), redeploy / image
 * update (a Compose service's containers together) and rollback to a recorded image id.
 */
export function engineDeploymentHandlers(options: EngineDeploymentOptions): EngineDeploymentCalls {
  const { targets, history } = options;
  const now = options.now ?? (() => new Date());

  /** `recordedAs`: a rollback runs an image id; its row keeps the reference the id was recorded under. */
  async function record(target: EngineTarget, ids: readonly string[], source: ImageHistorySource, recordedAs?: string): Promise<void> {
    for (const id of ids) {
      const info = await target.engine.docker.getContainer(id).inspect().catch(() => null);
      if (!info) continue;
      const facts = await imageFactsOf(target.engine.docker, info);
      history.record(target.service.environment.id, target.service.id, recordedAs ? { ...facts, imageRef: recordedAs } : facts, options.operator, source, now());
    }
  }

  function finish(outcome: RolloutOutcome): RedeployResult {
    if (outcome.status !== 'done') return outcome;
    return { status: 'done', id: outcome.id, name: outcome.name, fromImage: outcome.fromImage, toImage: outcome.toImage, message: outcome.message };
  }

  return {
    'containers.deployment': async ({ serviceId }) => {
      const target = await targets.engine(serviceId);
      const infos = await serviceContainers(target);
      for (const info of infos) history.observe(target.service.environment.id, target.service.id, await imageFactsOf(target.engine.docker, info), options.operator, now());
      const containers = await Promise.all(
        infos.map(async (info) => ({
          id: info.Id,
          name: containerName(info.Name),
          image: info.Config.Image,
          state: info.State.Status,
          localTags: await localTagsOf(target.engine.docker, info.Config.Image).catch(() => []),
          imageId: info.Image,
          composeService: composeServiceOf(info.Config.Labels),
        })),
      );
      return {
        production: target.service.environment.production,
        containers: containers.sort((a, b) => a.name.localeCompare(b.name)),
        history: historyView(history.list(target.service.id), infos),
      };
    },
    'containers.redeploy': async ({ serviceId, containerId, image, stopTimeoutSeconds }) => {
      const target = await targets.engine(serviceId);
      const infos = await serviceContainers(target);
      const info = infos.find((candidate) => candidate.Id.startsWith(containerId));
      if (!info) throw new AppError('NOT_FOUND', `Container ${containerId.slice(0, 12)} is not part of "${target.service.name}"; refresh the list.`, undefined, { key: 'operations.containers.notInService', params: { container: containerId.slice(0, 12), service: target.service.name } });
      const group = composeServiceOf(info.Config.Labels);
      const siblings = group === null ? [info] : infos.filter((candidate) => composeServiceOf(candidate.Config.Labels) === group);
      const source: ImageHistorySource = image !== undefined && image !== info.Config.Image ? 'update' : 'redeploy';
      const extra = stopTimeoutSeconds === undefined ? {} : { stopTimeoutSeconds };
      if (siblings.length === 1) {
        const outcome = await new ContainerRedeploy({ engine: target.engine, trail: options.trail, gate: target.gate, target: target.permissionTarget }).redeploy(info, { ...(image === undefined ? {} : { image }), ...extra });
        if (outcome.status === 'done') await record(target, [outcome.id], source);
        return outcome;
      }
      const outcome = await new ServiceRollout({ engine: target.engine, trail: options.trail, gate: target.gate, target: target.permissionTarget }).run(siblings, {
        action: 'container.redeploy',
        label: group ?? containerName(info.Name),
        image: image ?? info.Config.Image,
        imageIsId: false,
        ...extra,
      });
      if (outcome.status === 'done') await record(target, outcome.newIds ?? [], source);
      return finish(outcome);
    },
    'containers.rollback': async ({ serviceId, historyId }) => {
      const target = await targets.engine(serviceId);
      const entry = history.get(target.service.id, historyId);
      if (!entry) throw new AppError('NOT_FOUND', `"${target.service.name}" has no image history entry ${historyId}; refresh the list.`, undefined, { key: 'operations.changes.historyEntryMissing', params: { service: target.service.name, historyId } });
      const infos = await serviceContainers(target);
      const group = entry.composeService === null ? infos.filter((info) => containerName(info.Name) === entry.containerName) : infos.filter((info) => composeServiceOf(info.Config.Labels) === entry.composeService);
      const label = entry.composeService ?? entry.containerName;
      if (group.length === 0) throw new AppError('NOT_FOUND', `"${label}" has no container in "${target.service.name}" any more; nothing to roll back.`, undefined, { key: 'operations.changes.nothingToRollBack', params: { label, service: target.service.name } });
      const outcome = await new ServiceRollout({ engine: target.engine, trail: options.trail, gate: target.gate, target: target.permissionTarget }).run(group, {
        action: 'container.rollback',
        label,
        image: entry.imageId,
        imageIsId: true,
        recordedAs: entry.imageRef,
        details: { historyId: entry.id, recordedAt: entry.recordedAt, recordedAs: entry.imageRef },
      });
      if (outcome.status === 'done') await record(target, outcome.newIds ?? [], 'rollback', entry.imageRef);
      return finish(outcome);
    },
  };
}

/** The service's containers (every state), inspected; only members of its selectors. */
export async function serviceContainers(target: EngineTarget): Promise<Docker.ContainerInspectInfo[]> {
  const listed = await Promise.all(target.selectors.map((selector) => target.engine.docker.listContainers({ all: true, filters: engineFilters(selector) })));
  const rows = listed
    .flat()
    .filter((row, index, all) => all.findIndex((other) => other.Id === row.Id) === index)
    .filter((row) => target.selectors.some((selector) => belongsTo(selector, containerName(row.Names), row.Labels ?? {})));
  const infos = await Promise.all(rows.map((row) => target.engine.docker.getContainer(row.Id).inspect().catch(() => null)));
  return infos.filter((info): info is Docker.ContainerInspectInfo => info !== null).sort((a, b) => containerName(a.Name).localeCompare(containerName(b.Name)));
}

/** History rows for the tab; the newest row of each running container is its current image. */
function historyView(entries: readonly ImageHistoryEntry[], infos: readonly Docker.ContainerInspectInfo[]): ImageHistoryEntryView[] {
  const newestSeen = new Set<string>();
  return entries.map((entry) => {
    const first = !newestSeen.has(entry.containerName);
    newestSeen.add(entry.containerName);
    const running = infos.find((info) => containerName(info.Name) === entry.containerName);
    return {
      id: entry.id,
      container: entry.containerName,
      composeService: entry.composeService,
      imageRef: entry.imageRef,
      imageId: entry.imageId,
      digest: entry.digest,
      recordedAt: entry.recordedAt,
      actor: entry.actor,
      source: entry.source,
      current: first && running?.Image === entry.imageId,
      config: { ...entry.config, cmd: entry.config.cmd ? [...entry.config.cmd] : null, entrypoint: entry.config.entrypoint ? [...entry.config.entrypoint] : null, envNames: [...entry.config.envNames], ports: [...entry.config.ports], mounts: [...entry.config.mounts] },
    };
  });
}
