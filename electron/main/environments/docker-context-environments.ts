import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ConnectionPreferences } from '../../../shared/contract/connections.ts';
import type { DockerContextView, DockerEndpoint, EnvironmentView } from '../../../shared/contract/environments.ts';
import { AppError } from '../../../shared/errors.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { DockerContextReader, DockerContexts } from './docker-contexts.ts';
import { askLocalEngine } from './engine-environment-service.ts';
import type { EngineKind } from './engine-identity.ts';
import type { EnvironmentRecord, EnvironmentRepository, EnvironmentTarget } from './environment-repository.ts';
import { checkAccess, toEnvironmentView, type ReferenceCheck } from './environment-view.ts';
import { saveSecretsThenRow } from './secrets-then-row.ts';

/** Keychain entry of a TLS Docker daemon: the context's CA, client certificate and key. */
export const dockerTlsSchema = z.object({ ca: z.string(), cert: z.string(), key: z.string() });
export type DockerTls = z.infer<typeof dockerTlsSchema>;
export const dockerTlsKey = (environmentId: string): string => `env/${environmentId}/docker-tls`;

export interface AddDockerContextInput {
  readonly contextName: string;
  readonly name: string;
  readonly production: boolean;
  readonly identityId?: string | undefined;
  readonly username?: string | undefined;
  readonly remoteSocketPath?: string | undefined;
  readonly acceptPlainTcp: boolean;
}

interface Plan {
  readonly target: EnvironmentTarget;
  readonly access: ConnectionPreferences;
  readonly kind: EngineKind;
  readonly verified: boolean;
  readonly tls?: DockerTls;
}

const defaultRemoteSocket = '/var/run/docker.sock';

/**
 * Docker contexts become engine environments the app reaches its own way: unix:// as a local
 * socket, ssh:// through the app's SSH pool (ssh2, pinned host key, identity from the keychain;
 * never the system ssh), tcp:// with TLS through dockerode with the context's certificates,
 * which move into the keychain (SQLite keeps host and port only). The context is read again
 * here: the renderer names it, it never carries a path or a certificate.
 */
export class DockerContextEnvironments {
  private readonly reader: DockerContextReader;
  private readonly repository: EnvironmentRepository;
  private readonly secrets: SecretStore;
  private readonly trail: AuditTrail;
  private readonly references: ReferenceCheck;
  private readonly probeTimeoutMs: number;

  constructor(options: { reader: DockerContextReader; repository: EnvironmentRepository; secrets: SecretStore; trail: AuditTrail; references: ReferenceCheck; probeTimeoutMs?: number }) {
    this.reader = options.reader;
    this.repository = options.repository;
    this.secrets = options.secrets;
    this.trail = options.trail;
    this.references = options.references;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 3_000;
  }

  list(): Promise<DockerContexts> {
    return this.reader.read();
  }

  add(input: AddDockerContextInput): Promise<EnvironmentView> {
    // chosen before the row is written, so the row names the environment it adds
    const id = randomUUID();
    return this.trail
      .audited(
        { action: 'environment.add', target: input.name, environmentId: id, details: { dockerContext: input.contextName, production: input.production, acceptPlainTcp: input.acceptPlainTcp } },
        async () => {
          if (this.repository.nameTaken(input.name)) throw new AppError('CONFLICT', `An environment named "${input.name}" already exists; choose another name.`, undefined, { key: 'environments.nameTaken', params: { name: input.name } });
          const context = await this.reader.context(input.contextName);
          const plan = await this.plan(context, context.endpoint as DockerEndpoint, input);
          const at = new Date().toISOString();
          const entries: [string, string][] = plan.tls ? [[dockerTlsKey(id), JSON.stringify(plan.tls)]] : [];
          const record: EnvironmentRecord = {
            id,
            name: input.name,
            kind: plan.kind,
            production: input.production,
            target: plan.target,
            access: plan.access,
            secretKeys: entries.map(([key]) => key),
            createdAt: at,
            updatedAt: at,
          };
          await saveSecretsThenRow(this.secrets, entries, () => this.repository.insertAll([record]));
          return { view: toEnvironmentView(record), verified: plan.verified, endpoint: context.endpoint?.kind ?? 'unix' };
        },
        { detailsFromResult: ({ view, verified, endpoint }) => ({ environmentId: view.id, kind: view.kind, kindFromApi: verified, endpoint }) },
      )
      .then(({ view }) => view);
  }

  private async plan(context: DockerContextView, endpoint: DockerEndpoint, input: AddDockerContextInput): Promise<Plan> {
    const local: ConnectionPreferences = { selected: 'auto', methods: ['direct'] };
    if (endpoint.kind === 'unix') {
      const { kind, verified } = await askLocalEngine(endpoint.socketPath, 'docker', this.probeTimeoutMs);
      return { target: { kind: 'engine', socketPath: endpoint.socketPath }, access: local, kind, verified };
    }
    if (endpoint.kind === 'ssh') {
      const username = endpoint.username ?? input.username;
      if (!input.identityId) throw new AppError('INVALID_INPUT', `The Docker context "${context.name}" reaches ${endpoint.host} over SSH: choose the SSH identity KIOPS logs in with.`, undefined, { key: 'environments.dockerContext.sshIdentityNeeded', params: { name: context.name, host: endpoint.host } });
      if (!username) throw new AppError('INVALID_INPUT', `The Docker context "${context.name}" names no SSH user; give the user name to log in as.`, undefined, { key: 'environments.dockerContext.noSshUser', params: { name: context.name } });
      const access = checkAccess('remote-engine', { selected: 'auto', methods: ['ssh'], ssh: { host: endpoint.host, port: endpoint.port, username, identityId: input.identityId } }, this.references);
      // Docker on the host listens where its CLI would dial; the first connection asks the API what it is.
      return { target: { kind: 'engine', socketPath: input.remoteSocketPath ?? defaultRemoteSocket }, access, kind: 'docker', verified: false };
    }
    const url = `tcp://${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
    const tcp = { host: endpoint.host, port: endpoint.port, tls: endpoint.tls };
    if (!endpoint.tls) {
      if (!input.acceptPlainTcp) {
        throw new AppError(
          'INVALID_INPUT',
          `The Docker context "${context.name}" talks to ${url} without TLS: anyone on the network can read and send commands to that daemon, which gives root on its host. Use a TLS context, or confirm that you accept an unencrypted, unauthenticated connection.`,
          undefined,
          { key: 'environments.dockerContext.plainTcp', params: { name: context.name, url } },
        );
      }
      return { target: { kind: 'engine', socketPath: url, tcp }, access: local, kind: 'docker', verified: false };
    }
    if (endpoint.skipTlsVerify) {
      throw new AppError('INVALID_INPUT', `The Docker context "${context.name}" skips verifying the daemon's certificate (SkipTLSVerify); KIOPS verifies it. Give the context its CA and turn that off.`, undefined, { key: 'environments.dockerContext.skipTlsVerify', params: { name: context.name } });
    }
    const files = await this.reader.tlsFiles(context.name);
    if (!files.ca || !files.cert || !files.key) {
      const missing = (['ca', 'cert', 'key'] as const).filter((part) => !files[part]).map((part) => `${part}.pem`);
      throw new AppError('INVALID_INPUT', `The Docker context "${context.name}" lacks ${missing.join(', ')}: KIOPS needs the CA and a client certificate and key to talk to ${url}.`, undefined, {
        key: 'environments.dockerContext.tlsFilesMissing',
        params: { name: context.name, missing: missing.join(', '), url },
      });
    }
    return { target: { kind: 'engine', socketPath: url, tcp }, access: local, kind: 'docker', verified: false, tls: { ca: files.ca, cert: files.cert, key: files.key } };
  }
}
