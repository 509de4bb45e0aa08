import type { ConnectionPreferences } from '../../../shared/contract/connections.ts';
import type { EnvironmentView } from '../../../shared/contract/environments.ts';
import { AppError } from '../../../shared/errors.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { EnvironmentRecord, EnvironmentRepository } from './environment-repository.ts';
import { checkAccess, placeOf, toEnvironmentView, type ReferenceCheck } from './environment-view.ts';
import { deleteSecrets } from './secrets-then-row.ts';

export interface EnvironmentUpdate {
  readonly id: string;
  readonly name?: string | undefined;
  readonly production?: boolean | undefined;
  readonly namespace?: string | undefined;
  readonly socketPath?: string | undefined;
  readonly connection?: ConnectionPreferences | undefined;
}

/** Told when an environment changed or went away, so cached clients and flags follow. */
export interface EnvironmentListener {
  environmentChanged(before: EnvironmentRecord): Promise<void>;
  environmentRemoved(before: EnvironmentRecord): Promise<void>;
}

/** List, edit and remove environments of every kind; each edit and removal is audited. */
export class EnvironmentCatalog {
  private readonly repository: EnvironmentRepository;
  private readonly secrets: SecretStore;
  private readonly trail: AuditTrail;
  private readonly references: ReferenceCheck;
  private readonly listener: EnvironmentListener;
  private readonly now: () => Date;

  constructor(options: { repository: EnvironmentRepository; secrets: SecretStore; trail: AuditTrail; references: ReferenceCheck; listener: EnvironmentListener; now?: () => Date }) {
    this.repository = options.repository;
    this.secrets = options.secrets;
    this.trail = options.trail;
    this.references = options.references;
    this.listener = options.listener;
    this.now = options.now ?? (() => new Date());
  }

  list(): EnvironmentView[] {
    return this.repository.list().map(toEnvironmentView);
  }

  update(change: EnvironmentUpdate): Promise<EnvironmentView> {
    const before = this.repository.get(change.id);
    const changed = (['name', 'production', 'namespace', 'socketPath', 'connection'] as const).filter((field) => change[field] !== undefined);
    return this.trail.audited({ action: 'environment.edit', target: before.name, environmentId: before.id, details: { fields: [...changed] } }, async () => {
      if (change.name !== undefined && this.repository.nameTaken(change.name, before.id)) {
        throw new AppError('CONFLICT', `An environment named "${change.name}" already exists; choose another name.`, undefined, { key: 'environments.nameTaken', params: { name: change.name } });
      }
      let target = before.target;
      if (change.namespace !== undefined) {
        if (target.kind !== 'kubernetes') throw new AppError('INVALID_INPUT', 'Only a Kubernetes environment has a namespace.', undefined, { key: 'environments.edit.namespaceKubernetesOnly' });
        target = { kind: 'kubernetes', context: { ...target.context, namespace: change.namespace } };
      }
      if (change.socketPath !== undefined) {
        if (target.kind !== 'engine') throw new AppError('INVALID_INPUT', 'Only a Docker or Podman environment has a socket path.', undefined, { key: 'environments.edit.socketEngineOnly' });
        if (target.tcp) throw new AppError('INVALID_INPUT', 'A Docker daemon on TCP has no socket path; add its context again instead.', undefined, { key: 'environments.edit.tcpHasNoSocket' });
        target = { kind: 'engine', socketPath: change.socketPath };
      }
      const access = change.connection === undefined ? before.access : checkAccess(placeOf(target.kind, change.connection), change.connection, this.references);
      if (target.kind === 'engine' && Boolean(access.ssh) !== Boolean(before.access.ssh)) {
        throw new AppError('INVALID_INPUT', 'A local engine cannot become a remote one (or back); add a new environment instead.', undefined, { key: 'environments.edit.localRemoteSwitch' });
      }
      const after: EnvironmentRecord = {
        ...before,
        name: change.name ?? before.name,
        production: change.production ?? before.production,
        target,
        access,
        updatedAt: this.now().toISOString(),
      };
      this.repository.update(after);
      await this.listener.environmentChanged(before);
      return toEnvironmentView(after);
    });
  }

  /** Deletes the keychain entries first: if the keychain refuses, the environment stays (nothing half-removed). */
  remove(id: string): Promise<number> {
    const before = this.repository.get(id);
    return this.trail.audited(
      { action: 'environment.remove', target: before.name, environmentId: before.id, details: { kind: before.kind, secretKeys: [...before.secretKeys] } },
      async () => {
        const deleted = await deleteSecrets(this.secrets, before.secretKeys);
        this.repository.delete(id);
        await this.listener.environmentRemoved(before);
        return deleted;
      },
    );
  }
}
