import { z } from 'zod';
import { call } from './define.ts';
import { keyedTextSchema } from './keyed-text.ts';

/**
 * How the app reaches an environment:
 * - `direct`: as it is (a local engine socket, the cluster's server URL with its own proxy-url);
 * - `ssh`: Direct SSH through one pooled SSH client (Kubernetes via a local SOCKS5 listener,
 *   Docker/Podman via the remote socket);
 * - `vpn`: a registered VPN profile is brought up first, then the target is reached as above
 *   (Kubernetes directly, a remote engine over SSH inside the tunnel).
 * `auto` tries the environment's registered methods in order, each behind a health probe.
 */
export const connectionMethods = ['direct', 'ssh', 'vpn'] as const;
export const connectionMethodSchema = z.enum(connectionMethods);
export type ConnectionMethod = z.infer<typeof connectionMethodSchema>;

export const methodSelectionSchema = z.enum(['auto', ...connectionMethods]);
export type MethodSelection = z.infer<typeof methodSelectionSchema>;

const id = z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'must be an id the app gave out');
export const environmentIdSchema = id;
export const recordIdSchema = id;

const sshHostName = z.string().min(1).max(255).regex(/^[A-Za-z0-9.:_[\]-]+$/, 'must be a host name or IP address');
const sshPort = z.number().int().min(1).max(65535).default(22);
const sshUserName = z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'must be a plain user name');

/** One ProxyJump hop (`user@host:port`), reached through the previous hop with the same identity. */
export const sshJumpSchema = z.object({ host: sshHostName, port: sshPort, username: sshUserName }).strict();
export type SshJump = z.infer<typeof sshJumpSchema>;

/** An SSH host reached with a registered SSH identity. For a remote engine it is the engine's host. */
export const sshHostSchema = z
  .object({
    host: sshHostName,
    port: sshPort,
    username: sshUserName,
    identityId: id,
    /** ProxyJump chain, first hop first (from ~/.ssh/config or typed); each hop's host key is pinned too. */
    jumps: z.array(sshJumpSchema).min(1).max(8).optional(),
  })
  .strict();
export type SshHost = z.infer<typeof sshHostSchema>;

/** The registered connection preferences of one environment. */
export const connectionPreferencesSchema = z
  .object({
    selected: methodSelectionSchema.default('auto'),
    /** Priority order for Auto; also the methods the user may pick. No repeats. */
    methods: z.array(connectionMethodSchema).min(1).max(3),
    ssh: sshHostSchema.optional(),
    vpnProfileId: id.optional(),
  })
  .strict();
export type ConnectionPreferences = z.infer<typeof connectionPreferencesSchema>;

/** One method's health probe, as the header and the test dialog show it. */
export const methodAttemptSchema = z.object({
  method: connectionMethodSchema,
  healthy: z.boolean(),
  reason: z.string(),
  /** `reason` as a key for the window's language; `reason` stays main's English. */
  reasonText: keyedTextSchema.optional(),
  code: z.string().optional(),
});
export type MethodAttempt = z.infer<typeof methodAttemptSchema>;

export const connectionStates = ['idle', 'connecting', 'connected', 'failed'] as const;

/** What the Operations Modal header shows. */
export const connectionStatusSchema = z.object({
  environmentId: z.string(),
  selected: methodSelectionSchema,
  methods: z.array(connectionMethodSchema),
  /** The method in use (or last tried); absent before the first connection. */
  current: connectionMethodSchema.optional(),
  state: z.enum(connectionStates),
  /** Why this method was chosen, or why it failed. */
  reason: z.string().optional(),
  reasonText: keyedTextSchema.optional(),
  attempts: z.array(methodAttemptSchema),
  since: z.string().optional(),
});
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>;

const byEnvironment = z.object({ environmentId: id }).strict();
const fingerprint = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'must be an OpenSSH SHA256 fingerprint');
/** `host:port` or `[v6]:port`, as the app names a pinned host. */
const hostPort = z.string().min(3).max(270).regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):\d{1,5}$/, 'must be host:port');
const pinnedKey = z.object({ hostPort: z.string(), fingerprint: z.string() });

export const connectionsContract = {
  'connections.get': call(byEnvironment, connectionStatusSchema),
  /** Changes the selected method (and optionally the Auto priority). Audited as connection.change. */
  'connections.setMethod': call(
    z.object({ environmentId: id, selected: methodSelectionSchema, methods: z.array(connectionMethodSchema).min(1).max(3).optional() }).strict(),
    connectionStatusSchema,
  ),
  /**
   * True the first time it is asked for an environment whose method the user never picked, so
   * the method dialog opens by itself once; false from then on and after connections.setMethod.
   */
  'connections.firstOpen': call(byEnvironment, z.object({ firstOpen: z.boolean() })),
  /**
   * Pins the SSH host key of an environment's SSH host after the user compared the fingerprint
   * that testConnection reported. The host must present exactly this fingerprint. Audited.
   */
  'hostKeys.trust': call(z.object({ environmentId: id, fingerprint, hostPort: hostPort.optional() }).strict(), pinnedKey),
  /**
   * "Host key changed": replaces the pinned key of one host of the environment (the target or a
   * jump hop) with the new one, only if the pin is still `previousFingerprint` and the host
   * presents exactly `fingerprint` now. Needs `confirm: true`. Audited as host-key.repin.
   */
  'hostKeys.repin': call(z.object({ environmentId: id, hostPort, previousFingerprint: fingerprint, fingerprint, confirm: z.literal(true) }).strict(), pinnedKey),
  /** Forgets the pinned key of one host of the environment; the next connection asks again. Audited as host-key.forget. */
  'hostKeys.forget': call(z.object({ environmentId: id, hostPort }).strict(), z.object({ hostPort: z.string(), forgotten: z.boolean() })),
  /** The user's ~/.ssh/known_hosts keys for the environment's hosts (target and jumps), with what is pinned now. */
  'hostKeys.knownHosts': call(
    byEnvironment,
    z.object({
      path: z.string(),
      entries: z.array(z.object({ hostPort: z.string(), keyType: z.string(), fingerprint: z.string(), line: z.number().int(), hashed: z.boolean(), pinned: z.string().nullable() })),
      notes: z.array(z.string()),
    }),
  ),
  /**
   * Pins a host's key from known_hosts after the user confirmed it: the host must present one of
   * the keys known_hosts lists for it. Audited as host-key.import.
   */
  'hostKeys.importKnownHosts': call(z.object({ environmentId: id, hostPort }).strict(), pinnedKey),
  /** Host aliases of the user's ~/.ssh/config, resolved as `ssh <alias>` would (for the Add host → SSH step). */
  'sshConfig.hosts': call(
    z.object({}).strict(),
    z.object({
      path: z.string(),
      hosts: z.array(
        z.object({
          alias: z.string(),
          host: z.string(),
          port: z.number().int(),
          username: z.string(),
          identityFiles: z.array(z.string()),
          identitiesOnly: z.boolean(),
          jumps: z.array(z.object({ host: z.string(), port: z.number().int(), username: z.string() })),
        }),
      ),
      notes: z.array(z.string()),
    }),
  ),
} as const;
