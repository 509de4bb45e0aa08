import type Docker from 'dockerode';
import { AppError } from '../../../../shared/errors.ts';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { PermissionGate, PermissionTarget } from '../../permissions/permission-types.ts';
import { containerName, type EngineConnection } from '../containers/engine.ts';
import { recreatePlan } from '../changes/recreate-plan.ts';
import { diffSummary } from '../changes/object-diff.ts';
import { ensureImage } from './container-images.ts';
import type { NeedsConfirmation } from './production-confirmation.ts';
import { recreateOptions } from './recreate-options.ts';

export interface RedeployOptions {
  readonly engine: EngineConnection;
  readonly trail: Pick<AuditTrail, 'audited'>;
  readonly gate: PermissionGate;
  readonly target: PermissionTarget;
  readonly now?: () => Date;
}

export type RedeployOutcome = { readonly status: 'done'; readonly id: string; readonly name: string; readonly fromImage: string; readonly toImage: string; readonly message: string } | NeedsConfirmation;

const errorText = (error: unknown): string => (error instanceof Error ? error.message.replace(/^\(HTTP code \d+\) [a-z ]*- /i, '') : String(error));

/**
 * "Redeploy" and "Update image" of the Docker/Podman Deployment Management tab: the container is
 * recreated from its own configuration. Order, so that a failure leaves the service as it was:
 * make sure the image is there (pull, else the local copy) → rename the old container aside →
 * create the new one under the old name → stop the old one (with its stop timeout) → start the
 * new one → remove the old one. If create or start fails, the new one is removed and the old
 * one gets its name back and is started again.
 */
export class ContainerRedeploy {
  private readonly options: RedeployOptions;

  constructor(options: RedeployOptions) {
    this.options = options;
  }

  redeploy(info: Docker.ContainerInspectInfo, request: { image?: string; stopTimeoutSeconds?: number }): Promise<RedeployOutcome> {
    const { engine, target } = this.options;
    const name = containerName(info.Name);
    const fromImage = info.Config.Image;
    const toImage = request.image ?? fromImage;
    const stopTimeoutSeconds = request.stopTimeoutSeconds ?? 10;
    return this.options.trail
      .audited(
        {
          action: 'container.redeploy',
          target: `${engine.kind}/container/${name}`,
          actorIdentity: engine.identity,
          environmentId: target.environment.id,
          details: { engine: engine.kind, container: name, imageFrom: fromImage, imageTo: toImage, stopTimeoutSeconds },
        },
        async () => {
          await this.options.gate.require(target, 'management');
          const { pulled, pullError } = await ensureImage(engine.docker, toImage, engine.identity);
          // The recreate plan the preview showed, now with the image on the engine.
          const diff = diffSummary((await recreatePlan(engine.docker, info, toImage)).lines);
          const newId = await this.recreate(info, toImage, stopTimeoutSeconds);
          const source = pulled ? 'freshly pulled' : 'the copy on this engine; no registry answered the pull';
          return { status: 'done' as const, id: newId, name, fromImage, toImage, message: `Container "${name}" now runs ${toImage} (${source}).`, pulled, pullError, diff };
        },
        { detailsFromResult: (result) => ({ newContainerId: result.id.slice(0, 12), pulled: result.pulled, diff: result.diff, ...(result.pullError ? { pullError: result.pullError.slice(0, 300) } : {}) }) },
      )
      .then((result) => ({ status: 'done', id: result.id, name: result.name, fromImage: result.fromImage, toImage: result.toImage, message: result.message }));
  }

  /** The recreate step alone (no permission, confirmation or audit): the caller holds those. */
  async recreate(info: Docker.ContainerInspectInfo, image: string, stopTimeoutSeconds: number): Promise<string> {
    const { docker } = this.options.engine;
    const name = containerName(info.Name);
    const old = docker.getContainer(info.Id);
    const oldImage = await docker
      .getImage(info.Image)
      .inspect()
      .then((inspected) => inspected.Config)
      .catch(() => ({}));
    const { create, extraNetworks } = recreateOptions(info, oldImage, image, name);
    const asideName = `${name}-kiops-old-${(this.options.now?.() ?? new Date()).getTime().toString(36)}`;
    const wasRunning = info.State.Running;
    await old.rename({ name: asideName }).catch((error: unknown) => {
      throw new AppError('CONFLICT', `Could not rename "${name}" aside to replace it: ${errorText(error)}`, undefined, { key: 'operations.deployments.renameFailed', params: { name, detail: errorText(error) } });
    });
    let created: Docker.Container | null = null;
    try {
      created = await docker.createContainer(create);
      for (const network of extraNetworks) await docker.getNetwork(network.name).connect({ Container: created.id, EndpointConfig: network.config });
      if (wasRunning) await old.stop({ t: stopTimeoutSeconds }).catch((error: unknown) => this.ignoreNotRunning(error));
      await created.start();
      const started = await created.inspect();
      if (!started.State.Running && started.State.ExitCode !== 0) throw new Error(`it exited at once with code ${started.State.ExitCode}${started.State.Error ? `: ${started.State.Error}` : ''}`);
    } catch (error) {
      await this.restoreOld(old, created, name, wasRunning);
      throw new AppError('CONFLICT', `The new container for "${name}" did not start (${errorText(error)}); the previous container was kept and ${wasRunning ? 'started again' : 'left as it was'}.`, undefined, { key: wasRunning ? 'operations.deployments.newContainerFailedRestarted' : 'operations.deployments.newContainerFailedKept', params: { name, detail: errorText(error) } });
    }
    await old.remove({ force: true }).catch(() => undefined);
    return created.id;
  }

  private async restoreOld(old: Docker.Container, created: Docker.Container | null, name: string, wasRunning: boolean): Promise<void> {
    if (created) await created.remove({ force: true }).catch(() => undefined);
    await old.rename({ name }).catch(() => undefined);
    if (wasRunning) await old.start().catch((error: unknown) => this.ignoreNotRunning(error));
  }

  /** 304 "already stopped/started" is not a failure here. */
  private ignoreNotRunning(error: unknown): void {
    if ((error as { statusCode?: number }).statusCode === 304) return;
    throw error;
  }
}
