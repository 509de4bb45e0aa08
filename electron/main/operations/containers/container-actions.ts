import { AppError } from '../../../../shared/errors.ts';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { PermissionGate, PermissionTarget } from '../../permissions/permission-types.ts';
import { classifyContainerState, isoOrNull } from './container-rows.ts';
import { containerName, type EngineConnection } from './engine.ts';

export interface ContainerActionsOptions {
  readonly engine: EngineConnection;
  readonly trail: Pick<AuditTrail, 'audited'>;
  readonly gate: PermissionGate;
  /** The environment the engine belongs to; its id goes into audit rows. */
  readonly target: PermissionTarget;
  /** Seconds a container gets to stop on SIGTERM before it is killed. */
  readonly defaultStopTimeoutSeconds?: number;
}

export interface ContainerRestartResult {
  readonly id: string;
  readonly name: string;
  readonly previousStartedAt: string | null;
  readonly startedAt: string | null;
}

const maxStopTimeoutSeconds = 600;

/**
 * The Container List's one action. Each call is audited (success, failure or refusal) before
 * its result returns.
 */
export class ContainerActions {
  private readonly engine: EngineConnection;
  private readonly trail: Pick<AuditTrail, 'audited'>;
  private readonly gate: PermissionGate;
  private readonly target: PermissionTarget;
  private readonly defaultStopTimeoutSeconds: number;

  constructor(options: ContainerActionsOptions) {
    this.engine = options.engine;
    this.trail = options.trail;
    this.gate = options.gate;
    this.target = options.target;
    this.defaultStopTimeoutSeconds = options.defaultStopTimeoutSeconds ?? 10;
  }

  /**
   * Stops the container (SIGTERM, then SIGKILL after the timeout) and starts it again. The
   * timeout is always sent: Podman's Docker-compatible API kills at once when `t` is missing.
   * Refused for paused and created containers (the spec gives them no action) and without the
   * management permission.
   */
  async restart(containerId: string, options: { stopTimeoutSeconds?: number } = {}): Promise<ContainerRestartResult> {
    const stopTimeoutSeconds = options.stopTimeoutSeconds ?? this.defaultStopTimeoutSeconds;
    if (!Number.isInteger(stopTimeoutSeconds) || stopTimeoutSeconds < 0 || stopTimeoutSeconds > maxStopTimeoutSeconds) {
      throw new AppError('INVALID_INPUT', `The stop timeout must be a whole number of seconds from 0 to ${maxStopTimeoutSeconds}.`, undefined, { key: 'operations.containers.stopTimeoutRange', params: { max: maxStopTimeoutSeconds } });
    }
    const container = this.engine.docker.getContainer(containerId);
    // Inspected first so the audit row names the container, not a hash; a missing container is
    // NOT_FOUND before anything is attempted.
    const before = await container.inspect().catch((error: unknown) => {
      throw new AppError(
        'NOT_FOUND',
        `Container ${containerId.slice(0, 12)} was not found on ${this.engine.identity}; it may have been removed. Refresh the list.`,
        { cause: error instanceof Error ? error.message : String(error) },
        { key: 'operations.containers.notOnEngine', params: { container: containerId.slice(0, 12), engine: this.engine.identity } },
      );
    });
    const name = containerName(before.Name);
    return this.trail.audited(
      {
        action: 'container.restart',
        target: `${this.engine.kind}/container/${name}`,
        actorIdentity: this.engine.identity,
        environmentId: this.target.environment.id,
        details: { engine: this.engine.kind, container: name, stopTimeoutSeconds },
      },
      async () => {
        await this.gate.require(this.target, 'management');
        const tone = classifyContainerState(before.State.Status, before.State.Status);
        if (tone === 'paused' || tone === 'created') {
          throw new AppError(
            'CONFLICT',
            tone === 'paused'
              ? `Container "${name}" is paused; Restart is only offered for running or exited containers. Unpause it from Command Execution first.`
              : `Container "${name}" was created but never started; Restart is only offered for running or exited containers.`,
            undefined,
            { key: tone === 'paused' ? 'operations.containers.restartPaused' : 'operations.containers.restartNeverStarted', params: { name } },
          );
        }
        await container.restart({ t: stopTimeoutSeconds });
        const after = await container.inspect();
        return { id: before.Id, name, previousStartedAt: isoOrNull(before.State.StartedAt), startedAt: isoOrNull(after.State.StartedAt) };
      },
      { detailsFromResult: (result) => ({ startedAt: result.startedAt }) },
    );
  }
}
