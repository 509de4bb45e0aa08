import { z } from 'zod';
import { serviceIdSchema } from './catalog.ts';
import { call, stream } from './define.ts';

// The Command Execution tab. Main tokenizes the typed line, decides it under the allow-list
// policy (electron/main/commands/), injects the environment's own kubeconfig/namespace or engine
// endpoint and runs it without a shell. Every outcome — ran, blocked, needs confirmation, timed
// out, truncated, refused by permission — is an audit row; the output itself is never stored.

// link-lost: the connection the command ran over dropped first; exit code and signal are unknown (null).
export const commandEndReasons = ['exited', 'timeout', 'output-limit', 'time-limit', 'stopped', 'spawn-failed', 'link-lost'] as const;
export type CommandEndReason = (typeof commandEndReasons)[number];

const line = z.string().min(1).max(4096);
const containerName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/, 'must be a container name');

const commandInput = z
  .object({
    serviceId: serviceIdSchema,
    line,
    /** Docker/Podman mode only: run inside this container of the service (exec). */
    container: containerName.optional(),
    /** The confirmText of an earlier needs-confirmation answer, repeated exactly. */
    confirmation: z.string().max(4096).optional(),
    /**
     * Outside production, ask before a command that changes data, as every button does: main
     * answers needs-confirmation with `plain` (a plain confirm, nothing to type) and runs it when
     * `confirmation` repeats its confirmText. Main decides what changes data; the window asks.
     */
    askPlainly: z.boolean().optional(),
  })
  .strict();

export const commandContextSchema = z.object({
  mode: z.enum(['kubernetes', 'engine']),
  engine: z.enum(['docker', 'podman']).optional(),
  /** Kubernetes: the service's namespace, injected into every command. */
  namespace: z.string().optional(),
  /** Docker/Podman: the service's containers for the optional dropdown (none in Kubernetes mode). */
  containers: z.array(z.object({ name: z.string(), state: z.string() })),
  /** Commands run on a host reached over SSH (one-shot only there). */
  remoteHost: z.string().nullable(),
  streamingAvailable: z.boolean(),
  production: z.boolean(),
  examples: z.array(z.string()),
  /** The operator's running streaming sessions and the limit (3). */
  sessions: z.object({ running: z.number().int(), limit: z.number().int() }),
});
export type CommandContextView = z.infer<typeof commandContextSchema>;

/** Why a command was not run: the rule, what happened, what to do instead. */
export const commandBlockedSchema = z.object({ decision: z.literal('blocked'), rule: z.string(), message: z.string(), hint: z.string() });
/** `plain`: outside production (askPlainly), a plain confirm; otherwise type confirmText again. */
export const commandConfirmationSchema = z.object({ decision: z.literal('needs-confirmation'), confirmText: z.string(), message: z.string(), plain: z.boolean().optional() });

export const commandRanSchema = z.object({
  decision: z.literal('ran'),
  stdout: z.string(),
  stderr: z.string(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  durationMs: z.number(),
  endReason: z.enum(commandEndReasons),
  /** Output was cut at the one-shot limit. */
  truncated: z.boolean(),
  /** The argv that ran, connection details as placeholders (`<kubeconfig>`, `<engine-endpoint>`). */
  argvShown: z.array(z.string()),
});

export const commandRunResultSchema = z.discriminatedUnion('decision', [commandRanSchema, commandBlockedSchema, commandConfirmationSchema]);
export type CommandRunResult = z.infer<typeof commandRunResultSchema>;

export const commandStreamEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('started'), argvShown: z.array(z.string()), running: z.number().int(), limit: z.number().int() }),
  z.object({ kind: z.literal('output'), stream: z.enum(['stdout', 'stderr']), text: z.string() }),
  /** A data change (production, or askPlainly): nothing ran; ask the user, then subscribe again with `confirmation`. */
  z.object({ kind: z.literal('needs-confirmation'), confirmText: z.string(), message: z.string(), plain: z.boolean().optional() }),
  z.object({
    kind: z.literal('ended'),
    endReason: z.enum(commandEndReasons),
    exitCode: z.number().int().nullable(),
    signal: z.string().nullable(),
    durationMs: z.number(),
    bytes: z.number().int(),
  }),
]);
export type CommandStreamEvent = z.infer<typeof commandStreamEventSchema>;

export const commandsContract = {
  'commands.context': call(z.object({ serviceId: serviceIdSchema }).strict(), commandContextSchema),
  /** One-shot: 30 s (60 s for logs/events), 1 MiB of output, process group killed at the deadline. */
  'commands.run': call(commandInput, commandRunResultSchema),
  /**
   * Streaming: up to 10 minutes or 5 MB, 3 sessions per operator. Refusals end the stream with
   * BLOCKED_COMMAND (details: rule, message, hint) or LIMIT_REACHED (details: running, limit).
   * Cancelling the subscription stops the command (its whole process group).
   */
  'commands.stream': stream(commandInput, commandStreamEventSchema),
} as const;
