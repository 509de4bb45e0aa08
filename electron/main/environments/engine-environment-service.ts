import { randomUUID } from 'node:crypto';
import type { ConnectionPreferences } from '../../../shared/contract/connections.ts';
import type { EnvironmentView } from '../../../shared/contract/environments.ts';
import { AppError } from '../../../shared/errors.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { EnvironmentRepository } from './environment-repository.ts';
import { checkAccess, placeOf, toEnvironmentView, type ReferenceCheck } from './environment-view.ts';

export interface AddEngineInput {
  readonly name: string;
  readonly engine: 'docker' | 'podman';
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

  constructor(options: { repository: EnvironmentRepository; trail: AuditTrail; references: ReferenceCheck; now?: () => Date }) {
    this.repository = options.repository;
    this.trail = options.trail;
    this.references = options.references;
    this.now = options.now ?? (() => new Date());
  }

  add(input: AddEngineInput): Promise<EnvironmentView> {
    const place = placeOf('engine', input.connection);
    const connection = checkAccess(place, input.connection ?? { selected: 'auto', methods: ['direct'] }, this.references);
    const where = connection.ssh ? `${connection.ssh.username}@${connection.ssh.host}:${connection.ssh.port}` : 'this computer';
    return this.trail.audited(
      { action: 'environment.add', target: input.name, details: { kind: input.engine, socketPath: input.socketPath, host: where, methods: connection.methods, production: input.production } },
      async () => {
        if (this.repository.nameTaken(input.name)) throw new AppError('CONFLICT', `An environment named "${input.name}" already exists; choose another name.`);
        const at = this.now().toISOString();
        const record = {
          id: randomUUID(),
          name: input.name,
          kind: input.engine,
          production: input.production,
          target: { kind: 'engine', socketPath: input.socketPath },
          access: connection,
          secretKeys: [],
          createdAt: at,
          updatedAt: at,
        } as const;
        this.repository.insertAll([record]);
        return toEnvironmentView(record);
      },
      { detailsFromResult: (view) => ({ environmentId: view.id }) },
    );
  }
}
