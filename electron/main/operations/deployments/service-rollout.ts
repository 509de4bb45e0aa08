import type Docker from 'dockerode';
import { AppError } from '../../../../shared/errors.ts';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { PermissionGate, PermissionTarget } from '../../permissions/permission-types.ts';
import { containerName, type EngineConnection } from '../containers/engine.ts';
import { ensureImage, imageExists } from './container-images.ts';
import { recreatePlan } from '../changes/recreate-plan.ts';
import { diffSummary } from '../changes/object-diff.ts';
import { ContainerRedeploy, type RedeployOutcome } from './container-redeploy.ts';
import { causeParams } from '../../../../shared/message-params.ts';

export interface RolloutOptions {
  readonly engine: EngineConnection;
  readonly trail: Pick<AuditTrail, 'audited'>;
  readonly gate: PermissionGate;
  readonly target: PermissionTarget;
}

export interface RolloutRequest {
  readonly action: 'container.redeploy' | 'container.rollback';
  /** What the confirmation and messages name: a container, or a Compose service "project/service". */
  readonly label: string;
  /** A reference (pulled when a registry answers) or, for a rollback, a recorded image id used as is. */
  readonly image: string;
  readonly imageIsId: boolean;
  /** The reference the image id was recorded under (rollback messages). */
  readonly recordedAs?: string;
  readonly stopTimeoutSeconds?: number;
  readonly details?: Record<string, string | number | boolean | null>;
}

export type RolloutOutcome = RedeployOutcome & { readonly newIds?: readonly string[] };

const shortId = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);

/**
 * Several containers of one service (a Compose service's replicas) changed together: one
 * permission check, one confirmation, one audit row. Each container goes through the redeploy
 * path with its own automatic restore; when one fails, the ones already replaced are put back
 * on the image they ran before, so the service never ends half on one image and half on another.
 */
export class ServiceRollout {
  private readonly options: RolloutOptions;
  private readonly redeploy: ContainerRedeploy;

  constructor(options: RolloutOptions) {
    this.options = options;
    this.redeploy = new ContainerRedeploy(options);
  }

  run(containers: readonly Docker.ContainerInspectInfo[], request: RolloutRequest): Promise<RolloutOutcome> {
    const { engine, target } = this.options;
    const shown = request.imageIsId ? shortId(request.image) : request.image;
    const names = containers.map((info) => containerName(info.Name));
    const fromImage = [...new Set(containers.map((info) => info.Config.Image))].join(', ');
    return this.options.trail
      .audited(
        {
          action: request.action,
          target: `${engine.kind}/${request.label}`,
          actorIdentity: engine.identity,
          environmentId: target.environment.id,
          details: { engine: engine.kind, containers: names.join(', '), imageFrom: fromImage, imageTo: shown, imageIdsFrom: [...new Set(containers.map((info) => shortId(info.Image)))].join(', '), ...request.details },
        },
        async () => {
          await this.options.gate.require(target, 'management');
          if (request.imageIsId) {
            if (!(await imageExists(engine.docker, request.image))) {
              throw new AppError(
                'NOT_FOUND',
                `Image ${shortId(request.image)}${request.recordedAs ? ` (recorded as ${request.recordedAs})` : ''} is no longer on ${engine.identity}; it was removed. Pull it again by digest or tag, then roll back.`,
                undefined,
                request.recordedAs
                  ? { key: 'operations.deployments.imageGoneRecorded', params: { image: shortId(request.image), recordedAs: request.recordedAs, engine: engine.identity } }
                  : { key: 'operations.deployments.imageGone', params: { image: shortId(request.image), engine: engine.identity } },
              );
            }
          } else {
            await ensureImage(engine.docker, request.image, engine.identity);
          }
          // The recreate plan the preview showed, now with the image on the engine.
          const plans = await Promise.all(containers.map((info) => recreatePlan(engine.docker, info, request.image)));
          const diff = diffSummary(plans.flatMap((plan) => plan.lines));
          const newIds = await this.replaceAll(containers, request);
          const where = containers.length === 1 ? `"${names[0] ?? ''}"` : `all ${containers.length} containers of "${request.label}"`;
          const what = request.imageIsId ? `image ${shortId(request.image)}${request.recordedAs ? ` (recorded as ${request.recordedAs})` : ''}` : request.image;
          return { status: 'done' as const, id: newIds[0] ?? '', newIds, name: request.label, fromImage, toImage: request.image, message: `${where} now run${containers.length === 1 ? 's' : ''} ${what}.`, diff };
        },
        { detailsFromResult: (result) => ({ newContainerIds: result.newIds.map((id) => id.slice(0, 12)).join(', '), diff: result.diff }) },
      )
      .then((result) => ({ status: 'done', id: result.id, newIds: result.newIds, name: result.name, fromImage: result.fromImage, toImage: result.toImage, message: result.message }));
  }

  private async replaceAll(containers: readonly Docker.ContainerInspectInfo[], request: RolloutRequest): Promise<string[]> {
    const stop = request.stopTimeoutSeconds ?? 10;
    const replaced: { before: Docker.ContainerInspectInfo; newId: string }[] = [];
    for (const info of containers) {
      try {
        replaced.push({ before: info, newId: await this.redeploy.recreate(info, request.image, stop) });
      } catch (error) {
        const restored = await this.putBack(replaced, stop);
        const reason = error instanceof Error ? error.message : String(error);
        throw new AppError(
          'CONFLICT',
          `${reason}${replaced.length > 0 ? ` The ${replaced.length} container(s) of "${request.label}" already replaced ${restored ? 'were put back on their previous image' : 'could not all be put back; check them'}, so the service runs as before.` : ''}`,
          undefined,
          replaced.length === 0
            ? { key: 'operations.deployments.rolloutFailed.nothingReplaced', params: causeParams('detail', error) }
            : { key: `operations.deployments.rolloutFailed.${restored ? 'putBack' : 'notPutBack'}`, params: { ...causeParams('detail', error), count: replaced.length, label: request.label } },
        );
      }
    }
    return replaced.map((entry) => entry.newId);
  }

  /** Recreates the already replaced containers on the image id they ran before. */
  private async putBack(replaced: readonly { before: Docker.ContainerInspectInfo; newId: string }[], stop: number): Promise<boolean> {
    let all = true;
    for (const { before, newId } of [...replaced].reverse()) {
      try {
        const current = await this.options.engine.docker.getContainer(newId).inspect();
        await this.redeploy.recreate(current, before.Image, stop);
      } catch {
        all = false;
      }
    }
    return all;
  }
}
