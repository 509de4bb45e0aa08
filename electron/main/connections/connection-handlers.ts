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
import { hostOfChain, pinThroughHandshake } from './host-key-handlers.ts';

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
    'hostKeys.trust': ({ environmentId, fingerprint, hostPort: asked }) => {
      const env = repository.get(environmentId);
      if (env.access.ssh === undefined) throw new AppError('INVALID_INPUT', `"${env.name}" is not reached over SSH, so it has no host key to trust.`, undefined, { key: 'connections.hostKeys.notSshToTrust', params: { environment: env.name } });
      const { host, hostPort } = hostOfChain(env, asked);
      return trail.audited({ action: 'host-key.trust', target: hostPort, environmentId, details: { fingerprint } }, async () => {
        // A separate connection that accepts exactly the confirmed key: the host (target or jump hop) must present it now.
        await pinThroughHandshake(ssh, hostKeys, host, hostPort, { kind: 'accept', fingerprint }, (pinned) => pinned === fingerprint);
        resolver.forget(environmentId);
        return { hostPort, fingerprint };
      });
    },
  };
}
