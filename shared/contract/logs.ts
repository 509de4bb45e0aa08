import { z } from 'zod';
import { kubeObjectNameSchema } from './names.ts';
import { serviceIdSchema } from './catalog.ts';
import { call } from './define.ts';

// The Log Viewer tab: a snapshot of a pod's or container's output, never a follow (the spec
// sends real-time users to streaming commands). Main checks the logs permission on every call
// and that the named pod/container belongs to the service; sizes are bounded on both sides.

export const maxTailLines = 50_000;
export const maxLimitBytes = 10 * 1024 * 1024;
export const defaultTailLines = 1_000;

const podName = kubeObjectNameSchema;
const kubeContainerName = z.string().max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a container name');
const containerId = z.string().regex(/^[a-f0-9]{12,64}$/, 'must be a container id');

export const podContainerSchema = z.object({
  name: z.string(),
  /** An init container (its logs are there too, before the app's). */
  init: z.boolean(),
  state: z.enum(['running', 'waiting', 'terminated', 'unknown']),
  /** CrashLoopBackOff, Completed, OOMKilled, …; null when running normally. */
  reason: z.string().nullable(),
  restartCount: z.number(),
  /** The kubelet still has the previous (restarted) container's logs: `kubectl logs --previous`. */
  previousAvailable: z.boolean(),
});

export const logPodSchema = z.object({ name: z.string(), phase: z.string(), containers: z.array(podContainerSchema) });
export type LogPodView = z.infer<typeof logPodSchema>;

export const logContainerSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  /** Started with a TTY: its logs have no stream frames and mix stdout and stderr already. */
  tty: z.boolean(),
});
export type LogContainerView = z.infer<typeof logContainerSchema>;

export const logTargetsSchema = z.discriminatedUnion('runtime', [
  z.object({ runtime: z.literal('kubernetes'), pods: z.array(logPodSchema) }),
  z.object({ runtime: z.literal('engine'), containers: z.array(logContainerSchema) }),
]);
export type LogTargetsView = z.infer<typeof logTargetsSchema>;

export const logTargetSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('pod'),
      pod: podName,
      /** Required by the cluster when the pod has more than one container. */
      container: kubeContainerName.optional(),
      previous: z.boolean().default(false),
    })
    .strict(),
  z.object({ kind: z.literal('container'), containerId }).strict(),
]);
export type LogTarget = z.input<typeof logTargetSchema>;

export const logFetchInputSchema = z
  .object({
    serviceId: serviceIdSchema,
    target: logTargetSchema,
    tailLines: z.number().int().min(1).max(maxTailLines).default(defaultTailLines),
    limitBytes: z.number().int().min(1024).max(maxLimitBytes).default(maxLimitBytes),
    timestamps: z.boolean().default(false),
  })
  .strict();

export const logSnapshotSchema = z.object({
  text: z.string(),
  /** Bytes of `text` (UTF-8) and its line count. */
  bytes: z.number(),
  lines: z.number(),
  /**
   * There is more before what came back: 'lines' when the tail was full (Load earlier can
   * fetch more), 'bytes' when limitBytes cut it (the newest lines are kept); null when this is
   * the whole log.
   */
  truncated: z.enum(['lines', 'bytes']).nullable(),
  fetchedAt: z.string(),
});
export type LogSnapshotView = z.infer<typeof logSnapshotSchema>;

export const logsContract = {
  /** What the Log Viewer can show for this service: its pods (with containers) or its containers. Logs permission. */
  'logs.targets': call(z.object({ serviceId: serviceIdSchema }).strict(), logTargetsSchema),
  /** One snapshot of a target's logs, newest lines kept. Logs permission; a refusal is audited as logs.view. */
  'logs.fetch': call(logFetchInputSchema, logSnapshotSchema),
} as const;
