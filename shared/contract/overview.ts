import { z } from 'zod';
import { keyedTextSchema } from './keyed-text.ts';
import { serviceIdSchema } from './catalog.ts';
import { containerStateTones } from './containers.ts';
import { call } from './define.ts';
import { kubeEventRowSchema } from './pods.ts';

// The Overview tab: a Kubernetes Deployment's replicas, conditions, images, HPA and recent
// warnings, or the containers of a Docker/Podman service. Read-only.

export const deploymentOverviewSchema = z.object({
  name: z.string(),
  namespace: z.string(),
  createdAt: z.string().nullable(),
  selector: z.string(),
  replicas: z.object({ desired: z.number(), updated: z.number(), ready: z.number(), available: z.number(), unavailable: z.number() }),
  conditions: z.array(z.object({ type: z.string(), status: z.string(), reason: z.string().nullable(), message: z.string().nullable(), lastUpdate: z.string().nullable() })),
  containers: z.array(z.object({ name: z.string(), image: z.string(), init: z.boolean() })),
  hpa: z
    .object({
      name: z.string(),
      minReplicas: z.number(),
      maxReplicas: z.number(),
      targetCpuPercent: z.number().nullable(),
      currentCpuPercent: z.number().nullable(),
      currentReplicas: z.number().nullable(),
      desiredReplicas: z.number().nullable(),
    })
    .nullable(),
  warnings: z.array(kubeEventRowSchema),
  limitations: z.array(z.string()),
  /** `limitations` as keys for the window's language, line for line. */
  limitationTexts: z.array(keyedTextSchema).optional(),
});
export type DeploymentOverviewView = z.infer<typeof deploymentOverviewSchema>;

export const containerOverviewSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  stateTone: z.enum(containerStateTones),
  exitCode: z.number().nullable(),
  image: z.string(),
  imageId: z.string(),
  ports: z.array(z.object({ containerPort: z.number(), protocol: z.string(), hostPort: z.number().nullable(), hostIp: z.string().nullable() })),
  restartPolicy: z.object({ name: z.string(), maximumRetryCount: z.number() }),
  uptimeSeconds: z.number().nullable(),
  health: z.enum(['healthy', 'unhealthy', 'starting']).nullable(),
  composeProject: z.string().nullable(),
  composeService: z.string().nullable(),
  createdAt: z.string().nullable(),
  startedAt: z.string().nullable(),
});
export type ContainerOverviewView = z.infer<typeof containerOverviewSchema>;

export const serviceOverviewSchema = z.discriminatedUnion('runtime', [
  z.object({ runtime: z.literal('kubernetes'), deployment: deploymentOverviewSchema }),
  /** Every container of the Compose project (or the standalone ones), running or not. */
  z.object({ runtime: z.enum(['docker', 'podman']), containers: z.array(containerOverviewSchema) }),
]);
export type ServiceOverviewView = z.infer<typeof serviceOverviewSchema>;

export const overviewContract = {
  'overview.get': call(z.object({ serviceId: serviceIdSchema }).strict(), serviceOverviewSchema),
} as const;
