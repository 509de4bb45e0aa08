import { z } from 'zod';
import { keyedTextSchema } from './keyed-text.ts';
import { kubeObjectNameSchema } from './names.ts';
import { serviceIdSchema } from './catalog.ts';
import { confirmationSchema } from './confirmation.ts';
import { call } from './define.ts';

// Scaling of a Kubernetes Deployment service from the Pod List tab: manual replicas, a CPU-only
// HPA created like `kubectl autoscale --cpu-percent`, the Metrics Server the HPA needs, and the
// "Image Cache Cleanup" diagnostic. Every mutation checks the operator's management permission
// in main and is audited before its result returns.

const podName = kubeObjectNameSchema;

/** Upper bound of a replica count KIOPS sets (a typo guard, not a cluster limit). */
export const maxReplicaCount = 500;

/** The Metrics Server release whose manifest ships inside the app (installed without a download). */
export const bundledMetricsServerVersion = 'v0.7.2';

/** `kubectl autoscale` defaults, which the spec keeps: min 1, max 10, 80 % CPU. */
export const hpaDefaults = { minReplicas: 1, maxReplicas: 10, targetCpu: 80 } as const;

export const hpaConditionSchema = z.object({ type: z.string(), status: z.string(), reason: z.string().nullable(), message: z.string().nullable() });

export const hpaStatusSchema = z.object({
  name: z.string(),
  minReplicas: z.number(),
  maxReplicas: z.number(),
  /** null when the HPA (made outside KIOPS) has no CPU Utilization target. */
  targetCpu: z.number().nullable(),
  /** Average CPU utilisation the controller last measured, in % of requests; null before the first measurement. */
  currentCpu: z.number().nullable(),
  currentReplicas: z.number(),
  desiredReplicas: z.number(),
  /** Metrics other than CPU utilisation (memory, custom): KIOPS shows them but only edits CPU. */
  otherMetrics: z.array(z.string()),
  conditions: z.array(hpaConditionSchema),
});
export type HpaStatusView = z.infer<typeof hpaStatusSchema>;

export const metricsServerStatusSchema = z.object({
  /** metrics.k8s.io is served, or a metrics-server Deployment exists in kube-system. */
  installed: z.boolean(),
  /** metrics.k8s.io is served and the Deployment (when readable) has a ready pod. */
  ready: z.boolean(),
  version: z.string().nullable(),
  /** What is wrong, readable (not installed, not ready yet, cannot be checked); null when ready. */
  problem: z.string().nullable(),
  /** `problem` as a key for the window's language. */
  problemText: keyedTextSchema.optional(),
});
export type MetricsServerStatusView = z.infer<typeof metricsServerStatusSchema>;

export const scalingStatusSchema = z.object({
  deployment: z.string(),
  namespace: z.string(),
  /** The service's environment is marked production: every scaling action needs the typed service name. */
  production: z.boolean(),
  replicas: z.object({ desired: z.number(), ready: z.number() }),
  hpa: hpaStatusSchema.nullable(),
  /** True while an HPA targets the Deployment: main refuses scaling.setReplicas. */
  manualLocked: z.boolean(),
  metricsServer: metricsServerStatusSchema,
  /**
   * Set while an HPA targets a Deployment at 0 replicas (Kubernetes: ScalingActive=False,
   * ScalingDisabled): why the HPA does nothing and how to fix it (scaling.resumeHpa, or delete it).
   */
  hpaScalingDisabled: z.object({ message: z.string(), resumeReplicas: z.number().int().min(1) }).nullable().optional(),
});
export type ScalingStatusView = z.infer<typeof scalingStatusSchema>;

export const metricsServerInstallSchema = z.object({
  applied: z.array(
    z.object({
      kind: z.string(),
      name: z.string(),
      namespace: z.string().nullable(),
      /** Every object applied, or the call fails naming the ones that did not (never a silent skip). */
      result: z.enum(['created', 'updated']),
      note: z.string().nullable(),
    }),
  ),
  metricsServer: metricsServerStatusSchema,
});
export type MetricsServerInstallView = z.infer<typeof metricsServerInstallSchema>;

const service = z.object({ serviceId: serviceIdSchema, confirmation: confirmationSchema }).strict();
const replicaCount = z.number().int().min(0).max(maxReplicaCount);

export const setHpaInputSchema = z
  .object({
    serviceId: serviceIdSchema,
    minReplicas: z.number().int().min(1).max(maxReplicaCount).default(hpaDefaults.minReplicas),
    maxReplicas: z.number().int().min(1).max(maxReplicaCount).default(hpaDefaults.maxReplicas),
    targetCpu: z.number().int().min(1).max(100).default(hpaDefaults.targetCpu),
    confirmation: confirmationSchema,
  })
  .strict()
  .refine((input) => input.minReplicas <= input.maxReplicas, { message: 'minReplicas must not be greater than maxReplicas', path: ['minReplicas'] });

export const scalingContract = {
  'scaling.get': call(z.object({ serviceId: serviceIdSchema }).strict(), scalingStatusSchema),
  /**
   * Sets the Deployment's replicas (scale subresource). Refused (CONFLICT) while an HPA targets
   * it. In a production environment any count needs `confirmation` = the service name.
   * Management; audited with from → to.
   */
  'scaling.setReplicas': call(
    z.object({ serviceId: serviceIdSchema, replicas: replicaCount, confirmation: confirmationSchema }).strict(),
    z.object({ from: z.number(), to: z.number() }),
  ),
  /**
   * Creates or updates the HPA named like the Deployment: autoscaling/v2 with one CPU
   * Utilization metric, as `kubectl autoscale --cpu-percent` does. Refused while Metrics Server
   * is missing. Management; audited with min/max/target.
   */
  'scaling.setHpa': call(setHpaInputSchema, z.object({ created: z.boolean(), hpa: hpaStatusSchema })),
  'scaling.deleteHpa': call(service, z.object({ deleted: z.boolean() })),
  /**
   * The ScalingDisabled fix: scales a Deployment that sits at 0 replicas under an HPA up to
   * `replicas` (default the HPA's minReplicas, within min..max), so the HPA takes over again.
   * Only then does it pass the manual-scaling lock. Management; audited.
   */
  'scaling.resumeHpa': call(
    z.object({ serviceId: serviceIdSchema, replicas: z.number().int().min(1).max(maxReplicaCount).optional(), confirmation: confirmationSchema }).strict(),
    z.object({ from: z.number(), to: z.number(), hpa: z.string() }),
  ),
  /**
   * Applies the Metrics Server manifest embedded in the app (no download) into kube-system;
   * `reinstall` deletes its Deployment first so it starts fresh. Management; audited.
   */
  'metricsServer.install': call(
    z.object({ serviceId: serviceIdSchema, reinstall: z.boolean().default(false), confirmation: confirmationSchema }).strict(),
    metricsServerInstallSchema,
  ),
  /**
   * "Image Cache Cleanup": deletes the confirmed pods that are still stuck in ImagePullBackOff /
   * ErrImagePull, so the Deployment recreates them and the kubelet pulls the image again (with
   * imagePullPolicy Always, or IfNotPresent when the image never arrived). Management; audited.
   */
  'diagnostics.imageCacheCleanup': call(
    z.object({ serviceId: serviceIdSchema, expectedPods: z.array(podName).min(1).max(200), confirmation: confirmationSchema }).strict(),
    z.object({ deleted: z.array(z.string()), skipped: z.array(z.object({ name: z.string(), reason: z.string() })) }),
  ),
} as const;
