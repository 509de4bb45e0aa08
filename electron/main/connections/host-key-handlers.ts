import type { SshHost } from '../../../shared/contract/connections.ts';
import { AppError, type MessageText } from '../../../shared/errors.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { EnvironmentRecord, EnvironmentRepository } from '../environments/environment-repository.ts';
import type { CallHandlers } from '../ipc/router.ts';
import type { RuntimeAccess } from './runtime-access.ts';
import type { SqliteHostKeyStore } from './host-keys/sqlite-host-key-store.ts';
import type { SshPools } from './ssh-pools.ts';
import type { UnknownHostKeyPolicy } from './ssh/host-keys.ts';
import { readKnownHosts } from './ssh/known-hosts.ts';
import { SshConfig } from './ssh/ssh-config.ts';
import { hostPortOf } from './ssh/ssh-errors.ts';
import { SshConnection } from './ssh/ssh-connection.ts';
import { readUserSshFile, sshPaths, userSshConfigFiles } from './ssh/ssh-user-files.ts';

export interface HostKeyHandlerPorts {
  readonly repository: EnvironmentRepository;
  readonly runtime: RuntimeAccess;
  readonly hostKeys: SqliteHostKeyStore;
  readonly ssh: SshPools;
  readonly trail: AuditTrail;
  readonly homeDir: string;
  readonly localUser: string;
}

type HostKeyCalls = Pick<CallHandlers, 'hostKeys.repin' | 'hostKeys.forget' | 'hostKeys.knownHosts' | 'hostKeys.importKnownHosts' | 'sshConfig.hosts'>;

/** The environment's SSH host and every host of its chain (jump hops first, the target last). */
export function sshChainOf(env: EnvironmentRecord): { host: SshHost; chain: Array<{ host: string; port: number; hostPort: string }> } {
  const host = env.access.ssh;
  if (host === undefined) throw new AppError('INVALID_INPUT', `"${env.name}" is not reached over SSH, so it has no host key.`, undefined, { key: 'connections.hostKeys.notSsh', params: { environment: env.name } });
  const chain = [...(host.jumps ?? []), host].map((hop) => ({ host: hop.host, port: hop.port, hostPort: hostPortOf(hop) }));
  return { host, chain };
}

/** Refuses a host:port that is not the environment's target or one of its jump hops. */
export function hostOfChain(env: EnvironmentRecord, hostPort: string | undefined): { host: SshHost; hostPort: string } {
  const { host, chain } = sshChainOf(env);
  const wanted = hostPort ?? hostPortOf(host);
  if (!chain.some((hop) => hop.hostPort === wanted)) {
    const hops = chain.map((hop) => hop.hostPort).join(' → ');
    throw new AppError('INVALID_INPUT', `${wanted} is not a host of "${env.name}" (its SSH chain is ${hops}).`, undefined, { key: 'connections.hostKeys.notInChain', params: { hostPort: wanted, environment: env.name, chain: hops } });
  }
  return { host, hostPort: wanted };
}

/**
 * Connects once with `policy` so the host must present the key now; pinning happens during the
 * handshake, before authentication, so a login problem after it is testConnection's to report.
 */
export async function pinThroughHandshake(ssh: SshPools, hostKeys: SqliteHostKeyStore, host: SshHost, hostPort: string, policy: UnknownHostKeyPolicy, accepted: (pinned: string) => boolean): Promise<string> {
  const connection = new SshConnection(ssh.options(host, policy));
  try {
    await connection.ready();
  } catch (error) {
    const pinned = await hostKeys.get(hostPort);
    if (pinned === null || !accepted(pinned)) throw error;
  } finally {
    await connection.close();
  }
  const pinned = await hostKeys.get(hostPort);
  if (pinned === null || !accepted(pinned)) throw new AppError('CONFLICT', `The key of ${hostPort} was not pinned; test the connection again.`, undefined, { key: 'connections.hostKeys.notPinned', params: { hostPort } });
  return pinned;
}

/** The "host key changed" screen, known_hosts import and the ~/.ssh/config host list. */
export function hostKeyHandlers(ports: HostKeyHandlerPorts): HostKeyCalls {
  const { repository, runtime, hostKeys, ssh, trail } = ports;
  const paths = sshPaths(ports.homeDir);
  // the pooled client still speaks to the host under the old pin: the next use connects anew
  const settle = (env: EnvironmentRecord): Promise<void> => runtime.release(env);
  return {
    // Refusals (not a host of the environment, a stale previous key, nothing in known_hosts) are
    // decided before audited(): the router records them as refused rows of the call itself.
    'hostKeys.repin': async ({ environmentId, hostPort, previousFingerprint, fingerprint }) => {
      const env = repository.get(environmentId);
      const { host } = hostOfChain(env, hostPort);
      const pinnedNow = await hostKeys.get(hostPort);
      if (pinnedNow !== previousFingerprint) {
        const text: MessageText =
          pinnedNow === null
            ? { key: 'connections.hostKeys.nonePinned', params: { hostPort, previous: previousFingerprint } }
            : { key: 'connections.hostKeys.pinnedChanged', params: { hostPort, pinned: pinnedNow, previous: previousFingerprint } };
        throw new AppError('CONFLICT', `The pinned key of ${hostPort} is ${pinnedNow ?? 'none'}, not ${previousFingerprint}; test the connection again to see the current keys.`, { hostPort }, text);
      }
      return trail.audited({ action: 'host-key.repin', target: hostPort, environmentId, details: { previousFingerprint, fingerprint } }, async () => {
        await pinThroughHandshake(ssh, hostKeys, host, hostPort, { kind: 'replace', hostPort, previousFingerprint, fingerprint }, (pinned) => pinned === fingerprint);
        await settle(env);
        return { hostPort, fingerprint };
      });
    },
    'hostKeys.forget': ({ environmentId, hostPort }) => {
      const env = repository.get(environmentId);
      hostOfChain(env, hostPort);
      return trail.audited({ action: 'host-key.forget', target: hostPort, environmentId, details: {} }, async () => {
        const forgotten = await hostKeys.forget(hostPort);
        await settle(env);
        return { hostPort, forgotten };
      });
    },
    'hostKeys.knownHosts': async ({ environmentId }) => {
      const { chain } = sshChainOf(repository.get(environmentId));
      const text = (await readUserSshFile(paths.knownHosts)) ?? '';
      const { matches, notes } = readKnownHosts(text, chain);
      const entries = await Promise.all(matches.map(async (match) => ({ ...match, pinned: await hostKeys.get(match.hostPort) })));
      return { path: paths.knownHosts, entries, notes };
    },
    'hostKeys.importKnownHosts': async ({ environmentId, hostPort }) => {
      const env = repository.get(environmentId);
      const { host } = hostOfChain(env, hostPort);
      const text = (await readUserSshFile(paths.knownHosts)) ?? '';
      const fingerprints = readKnownHosts(text, sshChainOf(env).chain)
        .matches.filter((match) => match.hostPort === hostPort)
        .map((match) => match.fingerprint);
      if (fingerprints.length === 0) throw new AppError('NOT_FOUND', `${paths.knownHosts} has no usable key for ${hostPort}.`, { hostPort }, { key: 'connections.hostKeys.knownHostsNoKey', params: { path: paths.knownHosts, hostPort } });
      return trail.audited({ action: 'host-key.import', target: hostPort, environmentId, details: { source: paths.knownHosts, fingerprints } }, async () => {
        const fingerprint = await pinThroughHandshake(ssh, hostKeys, host, hostPort, { kind: 'accept-any', hostPort, fingerprints }, (pinned) => fingerprints.includes(pinned));
        await settle(env);
        return { hostPort, fingerprint };
      });
    },
    'sshConfig.hosts': async () => {
      const config = await SshConfig.load(userSshConfigFiles, { homeDir: ports.homeDir, localUser: ports.localUser, configPath: paths.config });
      const notes = [...config.notes];
      const hosts = config.aliases().flatMap((alias) => {
        try {
          const { proxyJump, ...resolved } = config.resolve(alias);
          return [{ ...resolved, identityFiles: [...resolved.identityFiles], jumps: [...proxyJump] }];
        } catch (error) {
          notes.push(`${alias}: ${(error as Error).message}`);
          return [];
        }
      });
      return { path: paths.config, hosts, notes };
    },
  };
}
