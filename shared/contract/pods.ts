import { z } from 'zod';
import { kubeObjectNameSchema } from './names.ts';
import { errorCodes } from '../errors.ts';
import { serviceIdSchema } from './catalog.ts';
import { confirmationSchema } from './confirmation.ts';
import { keyedTextSchema } from './keyed-text.ts';
import { call, stream } from './define.ts';

// The Pod List tab of a Kubernetes service: a live table (list + watch in main, slim rows,
// batched changes), the management actions (each checked against the operator's management
// permission in main and audited) and the Pending pod expand row.

const podName = kubeObjectNameSchema;

export const podStatusTones = ['running', 'pending', 'failed', 'other'] as const;
export type PodStatusToneView = (typeof podStatusTones)[number];

/** One Pod List row; mirrors electron/main/operations/kubernetes/pod-rows.ts PodRow. */
export const podRowSchema = z.object({
  uid: z.string(),
  name: z.string(),
  namespace: z.string(),
  phase: z.string(),
  /** kubectl's STATUS column (Running, ContainerCreating, CrashLoopBackOff, Terminating…). */
  displayStatus: z.string(),
  statusTone: z.enum(podStatusTones),
  ready: z.string(),
  restarts: z.number().int().nonnegative(),
  lastRestartAt: z.string().nullable(),
  createdAt: z.string().nullable(),
  node: z.string().nullable(),
  podIP: z.string().nullable(),
  isPending: z.boolean(),
  containers: z.array(z.string()),
  /** While a container is in CrashLoopBackOff: how its previous run ended (exit code, reason, memory limit). */
  crashLoop: z
    .object({
      container: z.string(),
      exitCode: z.number().int().nullable(),
      reason: z.string().nullable(),
      signal: z.number().int().nullable(),
      finishedAt: z.string().nullable(),
      memoryLimit: z.string().nullable(),
      restartCount: z.number().int().nonnegative(),
    })
    .optional(),
});
export type PodRowView = z.infer<typeof podRowSchema>;

export const podWatchStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('connecting') }),
  z.object({ kind: z.literal('live') }),
  // reasonText: `reason` as a key for the window's language, when main keyed it
  z.object({ kind: z.literal('reconnecting'), reason: z.string(), reasonText: keyedTextSchema.optional(), attempt: z.number().int(), retryInMs: z.number() }),
  z.object({ kind: z.literal('failed'), reason: z.string(), reasonText: keyedTextSchema.optional(), code: z.enum(errorCodes), retryInMs: z.number() }),
  z.object({ kind: z.literal('stopped') }),
]);
export type PodWatchStateView = z.infer<typeof podWatchStateSchema>;

export const podWatchEventSchema = z.discriminatedUnion('kind', [
  /** Apply `upserted` by uid and drop the `removed` uids; on `reset` start from an empty table. */
  z.object({ kind: z.literal('changes'), reset: z.boolean(), upserted: z.array(podRowSchema), removed: z.array(z.string()) }),
  z.object({ kind: z.literal('state'), state: podWatchStateSchema }),
]);
export type PodWatchEvent = z.infer<typeof podWatchEventSchema>;

export const kubeEventRowSchema = z.object({
  uid: z.string(),
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  count: z.number(),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  object: z.string(),
  source: z.string(),
});
export type KubeEventRowView = z.infer<typeof kubeEventRowSchema>;

export const pendingCauses = ['insufficient-resources', 'node-selector', 'node-affinity', 'taints', 'pvc-unbound', 'image-pull', 'no-nodes', 'unknown'] as const;

export const pendingAnalysisSchema = z.object({
  pod: z.string(),
  namespace: z.string(),
  phase: z.string(),
  findings: z.array(
    z.object({
      cause: z.enum(pendingCauses),
      title: z.string(),
      evidence: z.array(z.string()),
      suggestion: z.string(),
      /** The same finding as keys for the window's language: evidence lines that are the cluster's own words are null (shown as they are); the suggestion is its sentences in order. */
      text: z.object({ title: keyedTextSchema, evidence: z.array(keyedTextSchema.nullable()), suggestion: z.array(keyedTextSchema) }).optional(),
    }),
  ),
  events: z.array(kubeEventRowSchema),
  limitations: z.array(z.string()),
  /** `limitations` as keys, line for line. */
  limitationTexts: z.array(keyedTextSchema).optional(),
});
export type PendingAnalysisView = z.infer<typeof pendingAnalysisSchema>;

const podTarget = z.object({ serviceId: serviceIdSchema, pod: podName }).strict();
/** A pod action: in production `confirmation` must repeat the service name. */
const podAction = podTarget.extend({ confirmation: confirmationSchema }).strict();
const podDeletion = z.object({ name: z.string(), uid: z.string() });

export const pendingDeletionSchema = z.object({
  deleted: z.array(z.string()),
  /** Confirmed pods that were no longer Pending (or gone) when main got to them: left alone. */
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
  failed: z.array(z.object({ name: z.string(), error: z.string() })),
});
export type PendingDeletionView = z.infer<typeof pendingDeletionSchema>;

export const podsContract = {
  /** The live Pod List of one Deployment service. One watch per service in main, shared by its subscribers. */
  'pods.watch': stream(z.object({ serviceId: serviceIdSchema }).strict(), podWatchEventSchema),
  /** Skips the watch's backoff wait (the state banner's Retry). */
  'pods.retryWatch': call(z.object({ serviceId: serviceIdSchema }).strict(), z.object({ retried: z.boolean() })),
  /** Deletes the pod with its grace period; the Deployment starts a replacement. Management; audited. */
  'pods.restart': call(podAction, podDeletion),
  /** Deletes at once (grace period 0). Management; audited. */
  'pods.forceDelete': call(podAction, podDeletion),
  /**
   * Deletes the pods the operator confirmed, and of those only the ones still Pending in the
   * cluster at action time (a pod scheduled meanwhile is skipped, never killed). Management; audited.
   */
  'pods.deletePending': call(
    z.object({ serviceId: serviceIdSchema, expectedPods: z.array(podName).min(1).max(200), confirmation: confirmationSchema }).strict(),
    pendingDeletionSchema,
  ),
  /** The expand row of a Pending pod: likely causes, its events, and what could not be read. */
  'pods.analyzePending': call(podTarget, pendingAnalysisSchema),
} as const;
