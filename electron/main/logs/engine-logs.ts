import type { ContainerInspectInfo } from 'dockerode';
import { AppError, isAppError } from '../../../shared/errors.ts';
import type { LogContainerView } from '../../../shared/contract/logs.ts';
import type { EngineConnection } from '../operations/containers/engine.ts';
import { containerName } from '../operations/containers/engine.ts';
import { belongsTo, ServiceDiscovery, type ServiceSelector } from '../operations/containers/service-discovery.ts';
import { readEngineLog } from './engine-log-read.ts';
import { describeLog, keepNewestBytes, lastLines, type BoundedLog } from './log-text.ts';

export interface ContainerLogRequest {
  readonly containerId: string;
  readonly tailLines: number;
  readonly limitBytes: number;
  readonly timestamps: boolean;
}

/**
 * Container logs on Docker or Podman (`docker logs --tail --timestamps`). The engine has no
 * byte limit, so the newest limitBytes are kept here. Non-TTY output arrives in stream frames
 * and is demultiplexed; TTY output is passed through as it is: decided by Config.Tty. Podman
 * before 4.7 is read from the start instead of with its tail (engine-log-read.ts).
 */
export class EngineLogs {
  private readonly engine: EngineConnection;
  private readonly selectors: readonly ServiceSelector[];

  constructor(engine: EngineConnection, selectors: readonly ServiceSelector[]) {
    this.engine = engine;
    this.selectors = selectors;
  }

  async containers(): Promise<LogContainerView[]> {
    const discovery = new ServiceDiscovery(this.engine);
    const listed = (await Promise.all(this.selectors.map((selector) => discovery.containersOf(selector)))).flat();
    const views = await Promise.all(
      listed.map(async (info) => {
        const inspected = await this.engine.docker.getContainer(info.Id).inspect().catch(() => null);
        return { id: info.Id, name: containerName(info.Names), state: info.State, tty: inspected?.Config.Tty ?? false };
      }),
    );
    return views.sort((a, b) => a.name.localeCompare(b.name));
  }

  async read(request: ContainerLogRequest): Promise<BoundedLog> {
    const info = await this.containerOfService(request.containerId);
    const name = containerName(info.Name);
    let raw: Buffer;
    try {
      raw = await readEngineLog(this.engine, { containerId: info.Id, tty: info.Config.Tty, tailLines: request.tailLines, limitBytes: request.limitBytes, timestamps: request.timestamps });
    } catch (error) {
      throw engineError(error, { doing: `reading the logs of container ${name}`, variant: 'readingLogs', container: name });
    }
    const { kept, cut } = keepNewestBytes(lastLines(raw, request.tailLines), request.limitBytes);
    return describeLog(kept, request.tailLines, cut);
  }

  private async containerOfService(containerId: string): Promise<ContainerInspectInfo> {
    let info: ContainerInspectInfo;
    try {
      info = await this.engine.docker.getContainer(containerId).inspect();
    } catch (error) {
      throw engineError(error, { doing: `looking up container ${containerId.slice(0, 12)}`, variant: 'lookingUp', container: containerId.slice(0, 12) });
    }
    const name = containerName(info.Name);
    if (!this.selectors.some((selector) => belongsTo(selector, name, info.Config.Labels ?? {}))) {
      throw new AppError('NOT_FOUND', `Container ${name} is not part of this service; reload the targets.`, undefined, { key: 'operations.logs.containerNotInService', params: { container: name } });
    }
    return info;
  }
}

/** What the app was doing when the engine failed: the English phrase, and its variant for the window's language. */
interface EngineStep {
  readonly doing: string;
  readonly variant: 'readingLogs' | 'lookingUp';
  readonly container: string;
}

function engineError(error: unknown, { doing, variant, container }: EngineStep): AppError {
  if (isAppError(error)) return error;
  const status = (error as { statusCode?: unknown }).statusCode;
  const message = (error as { json?: { message?: unknown } }).json?.message;
  const detail = typeof message === 'string' ? message : error instanceof Error ? error.message : String(error);
  if (status === 404) return new AppError('NOT_FOUND', `The container is gone (removed?) while ${doing}: ${detail}`, undefined, { key: `operations.logs.containerGone.${variant}`, params: { container, detail } });
  if (typeof status === 'number') return new AppError('UNAVAILABLE', `The engine refused while ${doing}: ${detail}`, { status }, { key: `operations.logs.engineRefused.${variant}`, params: { container, detail } });
  return new AppError('UNREACHABLE', `Cannot reach the engine while ${doing}: ${detail}`, undefined, { key: 'engineUnreachable', params: { detail } });
}
