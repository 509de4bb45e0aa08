import { randomUUID } from 'node:crypto';
import Docker from 'dockerode';
import type { ConnectionPreferences } from '../../../shared/contract/connections.ts';
import type { EnvironmentView } from '../../../shared/contract/environments.ts';
import { AppError } from '../../../shared/errors.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import { identifyEngine, type EngineKind } from './engine-identity.ts';
import type { EnvironmentRecord, EnvironmentRepository } from './environment-repository.ts';
import { checkAccess, placeOf, toEnvironmentView, type ReferenceCheck } from './environment-view.ts';
import { whereOf } from '../../../shared/message-params.ts';

export interface AddEngineInput {
  readonly name: string;
  /** What the user expects; the engine's own answer wins. */
  readonly engine?: 'docker' | 'podman' | undefined;
  readonly socketPath: string;
  readonly production: boolean;
  readonly connection?: ConnectionPreferences | undefined;
}

/**
 * Docker and Podman environments: a local socket, or a socket on an SSH host (the SSH host and
 * identity are the connection's `ssh` part). Nothing here is secret: the SSH key stays with
 * its identity in the keychain.
 */
export class EngineEnvironmentService {
  private readonly repository: EnvironmentRepository;
  private readonly trail: AuditTrail;
  private readonly references: ReferenceCheck;
  private readonly now: () => Date;

  private readonly probeTimeoutMs: number;

  constructor(options: { repository: EnvironmentRepository; trail: AuditTrail; references: ReferenceCheck; now?: () => Date; probeTimeoutMs?: number }) {
    this.repository = options.repository;
    this.trail = options.trail;
    this.references = options.references;
    this.now = options.now ?? (() => new Date());
    this.probeTimeoutMs = options.probeTimeoutMs ?? 3_000;
  }

  /**
   * Records the kind an engine's API answered with when it differs from the record (on
   * connect): an environment registered as Docker that answers as Podman becomes Podman.
   */
  engineAnswered(env: EnvironmentRecord, detected: EngineKind): Promise<void> {
    return this.trail.audited(
      { action: 'environment.engine-detected', target: env.name, environmentId: env.id, details: { kindBefore: env.kind, kindAfter: detected } },
      () => this.repository.setEngineKind(env.id, detected, this.now().toISOString()),
    );
  }

  /**
   * A local socket is asked what it is before it is saved: Podman is Podman whatever its path,
   * and a socket answering as neither engine is refused. A socket that does not answer yet (or
   * one on an SSH host) keeps the user's choice until its first connection asks the API.
   */
  private async kindOf(input: AddEngineInput, local: boolean): Promise<{ kind: EngineKind; verified: boolean }> {
    const fallback = { kind: input.engine ?? 'docker', verified: false };
    return local ? askLocalEngine(input.socketPath, fallback.kind, this.probeTimeoutMs) : fallback;
  }

  add(input: AddEngineInput): Promise<EnvironmentView> {
    const place = placeOf('engine', input.connection);
    const connection = checkAccess(place, input.connection ?? { selected: 'auto', methods: ['direct'] }, this.references);
    const where = connection.ssh ? `${connection.ssh.username}@${connection.ssh.host}:${connection.ssh.port}` : 'this computer';
    // chosen before the row is written, so the row names the environment it adds
    const id = randomUUID();
    return this.trail
      .audited(
        { action: 'environment.add', target: input.name, environmentId: id, details: { kindRequested: input.engine ?? null, socketPath: input.socketPath, host: where, methods: connection.methods, production: input.production } },
        async () => {
          if (this.repository.nameTaken(input.name)) throw new AppError('CONFLICT', `An environment named "${input.name}" already exists; choose another name.`, undefined, { key: 'environments.nameTaken', params: { name: input.name } });
          const { kind, verified } = await this.kindOf(input, connection.ssh === undefined);
          const at = this.now().toISOString();
          const record = {
            id,
            name: input.name,
            kind,
            production: input.production,
            target: { kind: 'engine', socketPath: input.socketPath },
            access: connection,
            secretKeys: [],
            createdAt: at,
            updatedAt: at,
          } as const;
          this.repository.insertAll([record]);
          return { view: toEnvironmentView(record), verified };
        },
        { detailsFromResult: ({ view, verified }) => ({ environmentId: view.id, kind: view.kind, kindFromApi: verified }) },
      ).then(({ view }) => view);
  }
}

/** Asks a local socket what it is; one that does not answer yet keeps `fallback`, one that answers as neither engine is refused. */
export async function askLocalEngine(socketPath: string, fallback: EngineKind, timeoutMs: number): Promise<{ kind: EngineKind; verified: boolean }> {
  const docker = new Docker({ socketPath, timeout: timeoutMs });
  try {
    return { kind: (await identifyEngine(docker, whereOf('socket', socketPath))).kind, verified: true };
  } catch (error) {
    if (error instanceof AppError) throw error;
    return { kind: fallback, verified: false };
  }
}
