import { z } from 'zod';
import { errorCodes } from '../errors.ts';
import { connectionMethodSchema, connectionPreferencesSchema, methodAttemptSchema, methodSelectionSchema, recordIdSchema, sshHostSchema } from './connections.ts';
import { call, stream } from './define.ts';
import { keyedTextSchema } from './keyed-text.ts';
import { namespaceNameSchema } from './names.ts';
import { displayName, withoutControlCharacters } from './text.ts';

/** A view's `problem` as a key and parameters, for the window's language (see mainErrorText); `problem` stays the English. */
const problemTextSchema = keyedTextSchema.optional();

// Runtime Environments: Kubernetes contexts, Docker/Podman engines (local or over SSH), SSH
// identities and VPN profiles. Replies carry metadata only: secret material goes to the OS
// keychain and never comes back over IPC.

export const environmentKinds = ['kubernetes', 'docker', 'podman'] as const;
export const engineKinds = ['docker', 'podman'] as const;

const name = displayName(100);
/** The largest kubeconfig the app reads, pasted or from a file (some carry many clusters and inline certificates). */
export const maxKubeconfigBytes = 4 * 1024 * 1024;

const absolutePath = withoutControlCharacters(z.string().min(2).max(4096).regex(/^\//, 'must be an absolute path'));

export const kubeconfigWarningSchema = z.object({ kind: z.string(), message: z.string() });

/** A kubeconfig to read: pasted text, or files merged kubectl-style (first definition wins). */
export const kubeconfigSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string().min(1).max(maxKubeconfigBytes) }).strict(),
  z.object({ kind: z.literal('paths'), paths: z.array(absolutePath).min(1).max(20) }).strict(),
]);
export type KubeconfigSource = z.infer<typeof kubeconfigSourceSchema>;

export const kubeconfigContextPreviewSchema = z.object({
  name: z.string(),
  cluster: z.string(),
  user: z.string(),
  namespace: z.string().optional(),
  /** Without any user:password part. */
  server: z.string().optional(),
  current: z.boolean(),
  warnings: z.array(kubeconfigWarningSchema),
  /** Why this context cannot be added (a dangling cluster or user reference). */
  problem: z.string().optional(),
  problemText: problemTextSchema,
});

/** The kubeconfig files a new user already has ($KUBECONFIG or ~/.kube/config) and their contexts. */
export const kubeconfigDiscoverySchema = z.object({
  /** No Kubernetes environment yet: the page offers these contexts at once. */
  firstStart: z.boolean(),
  paths: z.array(z.string()),
  source: z.string().optional(),
  contexts: z.array(kubeconfigContextPreviewSchema.extend({ alreadyAdded: z.boolean() })),
  /** Why the files found could not be read. */
  problem: z.string().optional(),
  problemText: problemTextSchema,
});

/** One imported context whose kubeconfig file changed on disk; names and addresses only, never a credential. */
export const kubeconfigChangeSchema = z.object({
  environmentId: z.string(),
  environmentName: z.string(),
  contextName: z.string(),
  paths: z.array(z.string()),
  state: z.enum(['changed', 'removed', 'unreadable']),
  /** What differs for this context; before/after only for values that are safe to show. */
  fields: z.array(z.object({ field: z.enum(['cluster', 'server', 'user', 'namespace', 'proxy', 'tls', 'exec', 'auth-provider', 'credentials']), before: z.string().optional(), after: z.string().optional() })),
  /** Contexts the files gained or lost since this environment was imported. */
  addedContexts: z.array(z.string()),
  removedContexts: z.array(z.string()),
  problem: z.string().optional(),
  problemText: problemTextSchema,
});
export type KubeconfigChange = z.infer<typeof kubeconfigChangeSchema>;

export const environmentViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(environmentKinds),
  production: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  kubernetes: z
    .object({
      contextName: z.string(),
      clusterName: z.string(),
      userName: z.string(),
      server: z.string(),
      namespace: z.string().optional(),
      proxyUrl: z.string().optional(),
      warnings: z.array(kubeconfigWarningSchema),
    })
    .optional(),
  engine: z.object({ location: z.enum(['local', 'ssh', 'tcp']), socketPath: z.string(), tls: z.boolean().optional() }).optional(),
  connection: z.object({
    selected: methodSelectionSchema,
    methods: z.array(connectionMethodSchema),
    ssh: z.object({ host: z.string(), port: z.number(), username: z.string(), identityId: z.string(), jumps: z.array(z.object({ host: z.string(), port: z.number(), username: z.string() })).optional() }).optional(),
    vpnProfileId: z.string().optional(),
  }),
  /** The last connection test, kept across restarts (absent until the first test). */
  lastTest: z.lazy(() => lastConnectionTestSchema).optional(),
});
export type EnvironmentView = z.infer<typeof environmentViewSchema>;

export const engineCandidateSchema = z.object({
  engine: z.enum(engineKinds),
  socketPath: z.string(),
  source: z.enum(['default', 'DOCKER_HOST', 'docker-context', 'podman-rootful', 'podman-rootless', 'podman-machine']),
  contextName: z.string().optional(),
  /** Whether the socket answered `_ping`. */
  answers: z.boolean(),
  version: z.string().optional(),
  problem: z.string().optional(),
  problemText: problemTextSchema,
  alreadyAdded: z.boolean(),
});
export type EngineCandidate = z.infer<typeof engineCandidateSchema>;

/** Where a Docker context (or DOCKER_HOST) points: a local socket, an SSH host, or a TCP daemon. */
export const dockerEndpointSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unix'), socketPath: z.string() }),
  z.object({ kind: z.literal('ssh'), host: z.string(), port: z.number().int(), username: z.string().optional() }),
  z.object({ kind: z.literal('tcp'), host: z.string(), port: z.number().int(), tls: z.boolean(), skipTlsVerify: z.boolean() }),
]);
export type DockerEndpoint = z.infer<typeof dockerEndpointSchema>;

export const dockerContextViewSchema = z.object({
  name: z.string(),
  /** The context the docker CLI would use now. */
  current: z.boolean(),
  endpoint: dockerEndpointSchema.optional(),
  /** Why this context cannot be added. */
  problem: z.string().optional(),
  problemText: problemTextSchema,
});
export type DockerContextView = z.infer<typeof dockerContextViewSchema>;

/** Docker's own rule for context names. */
export const dockerContextNameSchema = z.string().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9_.+-]*$/, 'must be a Docker context name');

// messageKey/params: the message as main keyed it, for the window's language (see errorBodySchema)
const testErrorSchema = z.object({ code: z.enum(errorCodes), message: z.string(), messageKey: z.string().optional(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional(), messageParts: keyedTextSchema.shape.parts });

/** What testConnection found; failures are states with a readable message, not thrown errors. */
export const connectionTestSchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('connected'),
    ok: z.literal(true),
    method: connectionMethodSchema,
    reason: z.string(),
    /** `reason` as a key for the window's language (see mainErrorText); `reason` stays main's English. */
    reasonText: keyedTextSchema.optional(),
    latencyMs: z.number().nonnegative(),
    attempts: z.array(methodAttemptSchema),
    details: z.object({
      serverVersion: z.string().optional(),
      namespace: z.string().optional(),
      pods: z.number().int().optional(),
      engineVersion: z.string().optional(),
      /** What the engine's API answered as (Docker or Podman). */
      engineKind: z.enum(engineKinds).optional(),
      apiVersion: z.string().optional(),
      containers: z.number().int().optional(),
    }),
  }),
  z.object({
    state: z.literal('needs-host-key-confirmation'),
    ok: z.literal(false),
    method: connectionMethodSchema,
    reason: z.string(),
    reasonText: keyedTextSchema.optional(),
    hostPort: z.string(),
    fingerprint: z.string(),
    keyType: z.string(),
    attempts: z.array(methodAttemptSchema),
  }),
  z.object({
    state: z.literal('error'),
    ok: z.literal(false),
    method: connectionMethodSchema.optional(),
    reason: z.string(),
    reasonText: keyedTextSchema.optional(),
    error: testErrorSchema,
    /** For HOST_KEY_CHANGED: the pinned and the presented fingerprints, of which host (target or jump hop). */
    previousFingerprint: z.string().optional(),
    presentedFingerprint: z.string().optional(),
    hostPort: z.string().optional(),
    keyType: z.string().optional(),
    attempts: z.array(methodAttemptSchema),
  }),
]);
export type ConnectionTest = z.infer<typeof connectionTestSchema>;

export const lastConnectionTestSchema = z.object({ testedAt: z.string(), result: connectionTestSchema });
export type LastConnectionTest = z.infer<typeof lastConnectionTestSchema>;

export const sshIdentityViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['private-key', 'agent']),
  keyType: z.string().optional(),
  /** SHA256 fingerprint of the PUBLIC key, to compare with authorized_keys. */
  fingerprint: z.string().optional(),
  hasPassphrase: z.boolean(),
  createdAt: z.string(),
});
export type SshIdentityView = z.infer<typeof sshIdentityViewSchema>;

export const vpnProfileViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['openvpn', 'wireguard']),
  state: z.enum(['down', 'connecting', 'up', 'failed']),
  /** Why it is failed or reconnecting, as the tunnel said; `reasonText` the same for the window's language. */
  reason: z.string().optional(),
  reasonText: keyedTextSchema.optional(),
  createdAt: z.string(),
});
export type VpnProfileView = z.infer<typeof vpnProfileViewSchema>;

const byId = z.object({ id: recordIdSchema }).strict();
const removed = z.object({ removed: z.literal(true), secretsDeleted: z.number().int().nonnegative() });

export const environmentsContract = {
  'environments.list': call(z.object({}).strict(), z.object({ environments: z.array(environmentViewSchema) })),
  /** Local Docker/Podman sockets (default paths, DOCKER_HOST, docker contexts) and whether each answers. */
  'environments.detectEngines': call(z.object({}).strict(), z.object({ candidates: z.array(engineCandidateSchema) })),
  /** The Docker CLI's contexts ($DOCKER_CONFIG or ~/.docker) and which one DOCKER_HOST / DOCKER_CONTEXT / config.json select. */
  'environments.dockerContexts': call(
    z.object({}).strict(),
    z.object({ contexts: z.array(dockerContextViewSchema), selected: z.string(), selectedBy: z.enum(['DOCKER_HOST', 'DOCKER_CONTEXT', 'config', 'default']) }),
  ),
  /**
   * One engine environment from a Docker context, read again in main: unix:// as a local socket,
   * ssh:// through the app's SSH connection with a registered identity, tcp:// with its TLS files
   * moved into the keychain (plain tcp only with acceptPlainTcp).
   */
  'environments.addDockerContext': call(
    z
      .object({
        contextName: dockerContextNameSchema,
        name,
        production: z.boolean().default(false),
        /** For ssh:// contexts: the SSH identity to log in with. */
        identityId: recordIdSchema.optional(),
        /** For ssh:// contexts without a user in the URL. */
        username: sshHostSchema.shape.username.optional(),
        /** For ssh:// contexts: the engine socket on that host (default /var/run/docker.sock). */
        remoteSocketPath: absolutePath.optional(),
        /** tcp:// without TLS sends every request unencrypted and unauthenticated: only when the user said so. */
        acceptPlainTcp: z.boolean().default(false),
      })
      .strict(),
    environmentViewSchema,
  ),
  /** Reads a kubeconfig and lists its contexts with warnings. Nothing is saved. */
  'environments.previewKubeconfig': call(
    z.object({ source: kubeconfigSourceSchema }).strict(),
    z.object({ source: z.string(), currentContext: z.string().optional(), contexts: z.array(kubeconfigContextPreviewSchema) }),
  ),
  /** One environment per chosen context. The user's kubeconfig is read, never written. */
  'environments.addKubernetes': call(
    z
      .object({
        source: kubeconfigSourceSchema,
        contexts: z.array(z.string().min(1).max(253)).min(1).max(50),
        /** The environment name for a single context; a prefix ("name / context") for several. */
        name: name.optional(),
        production: z.boolean().default(false),
        connection: connectionPreferencesSchema.optional(),
      })
      .strict(),
    z.object({ environments: z.array(environmentViewSchema) }),
  ),
  /** Kubeconfig files found where kubectl looks ($KUBECONFIG, else ~/.kube/config) with their contexts. Nothing is saved. */
  'environments.discoverKubeconfig': call(z.object({}).strict(), kubeconfigDiscoverySchema),
  /** Reads the environment's kubeconfig files again; keeps its id, name, production flag, connection and audit history. */
  'environments.reimportKubeconfig': call(byId, environmentViewSchema),
  /** Imported kubeconfig files that changed on disk: the whole current list, again on every change. */
  'environments.kubeconfigChanges': stream(z.object({}).strict(), z.object({ changes: z.array(kubeconfigChangeSchema) })),
  /** A local engine socket, or (with connection.ssh) a socket on an SSH host. */
  'environments.addEngine': call(
    z
      .object({
        name,
        /** What the user expects; main asks the engine's API and records what it answers. */
        engine: z.enum(engineKinds).optional(),
        socketPath: absolutePath,
        production: z.boolean().default(false),
        connection: connectionPreferencesSchema.optional(),
      })
      .strict(),
    environmentViewSchema,
  ),
  'environments.update': call(
    z
      .object({
        id: recordIdSchema,
        name: name.optional(),
        production: z.boolean().optional(),
        namespace: namespaceNameSchema.optional(),
        socketPath: absolutePath.optional(),
        connection: connectionPreferencesSchema.optional(),
      })
      .strict(),
    environmentViewSchema,
  ),
  /** Removes the environment and its keychain entries. */
  'environments.remove': call(byId, removed),
  'environments.testConnection': call(byId, connectionTestSchema),

  'sshIdentities.list': call(z.object({}).strict(), z.object({ identities: z.array(sshIdentityViewSchema) })),
  'sshIdentities.add': call(
    z.discriminatedUnion('kind', [
      z
        .object({
          kind: z.literal('private-key'),
          name,
          privateKey: z.string().min(1).max(64_000),
          passphrase: z.string().min(1).max(1024).optional(),
        })
        .strict(),
      z.object({ kind: z.literal('agent'), name }).strict(),
    ]),
    sshIdentityViewSchema,
  ),
  'sshIdentities.remove': call(byId, removed),

  'vpnProfiles.list': call(z.object({}).strict(), z.object({ profiles: z.array(vpnProfileViewSchema) })),
  /** An OpenVPN .ovpn or WireGuard .conf text; checked, then kept only in the keychain. */
  'vpnProfiles.add': call(z.object({ name, profile: z.string().min(1).max(256_000) }).strict(), vpnProfileViewSchema),
  'vpnProfiles.remove': call(byId, removed),
} as const;

export { sshHostSchema };
