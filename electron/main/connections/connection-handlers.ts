import type { CallHandlers } from '../ipc/router.ts';
import { AppError } from '../../../shared/errors.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { EnvironmentRepository } from '../environments/environment-repository.ts';
import { checkAccess, placeOf, type ReferenceCheck } from '../environments/environment-view.ts';
import type { ConnectionResolver } from './connection-resolver.ts';
import type { FirstOpenFlags } from './first-open-flags.ts';
import type { SqliteHostKeyStore } from './host-keys/sqlite-host-key-store.ts';
import type { RuntimeAccess } from './runtime-access.ts';
import type { SshPools } from './ssh-pools.ts';
import { hostPortOf } from './ssh/ssh-errors.ts';
import { SshConnection } from './ssh/ssh-connection.ts';

export interface ConnectionHandlerPorts {
  readonly repository: EnvironmentRepository;
  readonly resolver: ConnectionResolver;
  readonly runtime: RuntimeAccess;
  readonly flags: FirstOpenFlags;
  readonly hostKeys: SqliteHostKeyStore;
  readonly ssh: SshPools;
  readonly trail: AuditTrail;
  readonly references: ReferenceCheck;
}

type ConnectionCalls = Pick<CallHandlers, 'connections.get' | 'connections.setMethod' | 'connections.firstOpen' | 'hostKeys.trust'>;

/** What the Operations Modal header needs: the method in use, changing it, the first-open flag, host-key trust. */
export function connectionHandlers(ports: ConnectionHandlerPorts): ConnectionCalls {
  const { repository, resolver, runtime, flags, hostKeys, ssh, trail, references } = ports;
  return {
    'connections.get': ({ environmentId }) => resolver.status(repository.get(environmentId)),
    'connections.setMethod': ({ environmentId, selected, methods }) => {
      const before = repository.get(environmentId);
      const access = { ...before.access, selected, methods: methods ?? before.access.methods };
      return trail.audited(
        {
          action: 'connection.change',
          target: before.name,
          environmentId,
          details: { from: before.access.selected, to: selected, methods: [...access.methods] },
        },
        async () => {
          checkAccess(placeOf(before.target.kind, access), access, references);
          const after = { ...before, access, updatedAt: new Date().toISOString() };
          repository.update(after);
          flags.markPicked(environmentId);
          await runtime.release(before);
          return resolver.status(after);
        },
      );
    },
    'connections.firstOpen': ({ environmentId }) => {
      repository.get(environmentId);
      return { firstOpen: flags.takeFirstOpen(environmentId) };
    },
    'hostKeys.trust': ({ environmentId, fingerprint }) => {
      const env = repository.get(environmentId);
      const host = env.access.ssh;
      if (host === undefined) throw new AppError('INVALID_INPUT', `"${env.name}" is not reached over SSH, so it has no host key to trust.`);
      const hostPort = hostPortOf(host);
      return trail.audited({ action: 'host-key.trust', target: hostPort, environmentId, details: { fingerprint } }, async () => {
        // A separate connection that accepts exactly the confirmed key: the host must present it now.
        const connection = new SshConnection(ssh.options(host, { kind: 'accept', fingerprint }));
        try {
          await connection.ready();
        } catch (error) {
          // Pinning happens during the handshake, before authentication: a login problem after it is testConnection's to report.
          if ((await hostKeys.get(hostPort)) !== fingerprint) throw error;
        } finally {
          await connection.close();
        }
        resolver.forget(environmentId);
        return { hostPort, fingerprint };
      });
    },
  };
}
