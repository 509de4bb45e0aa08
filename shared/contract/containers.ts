import { z } from 'zod';
import { keyedTextSchema } from './keyed-text.ts';
import { serviceIdSchema } from './catalog.ts';
import { confirmationSchema } from './confirmation.ts';
import { call, stream } from './define.ts';

// The Container List tab of a Docker/Podman service: rows follow the engine's event stream,
// statistics are sampled every 30 s while auto-refresh is on. Restart is checked against the
// management permission in main and audited.

export const containerStateTones = ['running', 'exited', 'paused', 'created', 'other'] as const;
export type ContainerStateToneView = (typeof containerStateTones)[number];

/** One Container List row; mirrors electron/main/operations/containers/container-rows.ts ContainerRow. */
export const containerRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  state: z.string(),
  statusText: z.string(),
  stateTone: z.enum(containerStateTones),
  actionsAvailable: z.array(z.literal('restart')),
  ports: z.array(z.object({ containerPort: z.number(), protocol: z.string(), hostPort: z.number().nullable(), hostIp: z.string().nullable() })),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  composeProject: z.string().nullable(),
  composeService: z.string().nullable(),
  health: z.enum(['healthy', 'unhealthy', 'starting']).nullable(),
});
export type ContainerRowView = z.infer<typeof containerRowSchema>;

export const containerStatsSchema = z.object({
  containerId: z.string(),
  sampledAt: z.string(),
  /** Percent of one CPU; null while the first sample is measured. */
  cpuPercent: z.number().nullable(),
  memory: z.object({ usageBytes: z.number(), limitBytes: z.number().nullable(), percent: z.number().nullable() }).nullable(),
  network: z.object({ rxBytes: z.number(), txBytes: z.number(), interfaces: z.number() }).nullable(),
  problem: z.string().optional(),
});
export type ContainerStatsView = z.infer<typeof containerStatsSchema>;

export const containerWatchEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rows'), rows: z.array(containerRowSchema), reason: z.enum(['initial', 'event', 'auto-refresh', 'manual', 'reconnected']), at: z.string() }),
  z.object({ kind: z.literal('stats'), samples: z.array(containerStatsSchema), at: z.string() }),
  z.object({ kind: z.literal('auto-refresh'), enabled: z.boolean(), intervalMs: z.number() }),
  // messageText: `message` as a key for the window's language
  z.object({ kind: z.literal('events'), state: z.enum(['following', 'reconnecting']), message: z.string().nullable(), messageText: keyedTextSchema.optional(), retryInMs: z.number().optional() }),
  /** Listing failed (engine stopped, link down): keep the rows, show this with a retry. */
  z.object({ kind: z.literal('problem'), message: z.string(), messageText: keyedTextSchema.optional(), at: z.string() }),
]);
export type ContainerWatchEvent = z.infer<typeof containerWatchEventSchema>;

/**
 * Chosen by the window for one open Container List, so the auto-refresh toggle and the
 * Refresh button act on that list only (two windows on one service keep their own toggles).
 */
export const watchSessionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be a watch session id');

const containerId = z.string().regex(/^[a-f0-9]{12,64}$/, 'must be a container id');

export const containersContract = {
  'containers.watch': stream(z.object({ serviceId: serviceIdSchema, sessionId: watchSessionIdSchema }).strict(), containerWatchEventSchema),
  /** Turns the 30-second auto-refresh of one open list on or off. */
  'containers.setAutoRefresh': call(
    z.object({ serviceId: serviceIdSchema, sessionId: watchSessionIdSchema, enabled: z.boolean() }).strict(),
    z.object({ enabled: z.boolean() }),
  ),
  /** Re-lists and re-samples one open list now. */
  'containers.refresh': call(z.object({ serviceId: serviceIdSchema, sessionId: watchSessionIdSchema }).strict(), z.object({ refreshed: z.literal(true) })),
  /** Stop (SIGTERM, then kill after the timeout) and start again; running/exited only. Management; audited. */
  'containers.restart': call(
    z.object({ serviceId: serviceIdSchema, containerId, stopTimeoutSeconds: z.number().int().min(0).max(600).optional(), confirmation: confirmationSchema }).strict(),
    z.object({ id: z.string(), name: z.string(), previousStartedAt: z.string().nullable(), startedAt: z.string().nullable() }),
  ),
} as const;
