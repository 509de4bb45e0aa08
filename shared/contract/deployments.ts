import { z } from 'zod';
import { serviceIdSchema } from './catalog.ts';
import { confirmationSchema } from './confirmation.ts';
import { call } from './define.ts';

// The Deployment Management tab. Kubernetes: the Deployment's settings, its ReplicaSet revision
// history, image change (`kubectl set image`), rollback (`kubectl rollout undo`) and restart
// (`kubectl rollout restart`). Docker/Podman: redeploy a container, optionally with another
// image. Every mutation is checked against the management permission in main and audited; in a
// production environment main answers `needs-confirmation` until the caller repeats the service name.

const containerNameSchema = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a container name');
/** An image reference as docker/kubectl take it: [registry/]repository[:tag][@digest]. */
export const imageReferenceSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(@sha256:[a-f0-9]{64})?$/, 'must be an image reference such as registry/app:1.2');

/** Production caution: nothing changed; show `message` and call again with `confirmation: confirmText`. */
const needsConfirmationSchema = z.object({ status: z.literal('needs-confirmation'), confirmText: z.string(), message: z.string() });

export const rolloutStates = ['complete', 'progressing', 'failed'] as const;

export const deploymentRevisionSchema = z.object({
  revision: z.number().int(),
  replicaSet: z.string(),
  createdAt: z.string().nullable(),
  images: z.array(z.object({ container: z.string(), image: z.string() })),
  changeCause: z.string().optional(),
  current: z.boolean(),
});
export type DeploymentRevisionView = z.infer<typeof deploymentRevisionSchema>;

export const deploymentDetailsSchema = z.object({
  name: z.string(),
  namespace: z.string(),
  production: z.boolean(),
  strategy: z.object({ type: z.string(), maxSurge: z.string().nullable(), maxUnavailable: z.string().nullable() }),
  replicas: z.object({ desired: z.number(), updated: z.number(), ready: z.number(), available: z.number() }),
  containers: z.array(z.object({ name: z.string(), image: z.string() })),
  /** Newest first. */
  revisions: z.array(deploymentRevisionSchema),
  rollout: z.object({ state: z.enum(rolloutStates), message: z.string() }),
});
export type DeploymentDetailsView = z.infer<typeof deploymentDetailsSchema>;

const deploymentDone = z.object({ status: z.literal('done'), message: z.string() });
const deploymentActionResult = z.discriminatedUnion('status', [deploymentDone, needsConfirmationSchema]);
export type DeploymentActionResult = z.infer<typeof deploymentActionResult>;

const historyId = z.number().int().min(1).max(2 ** 53 - 1);

/** One image a container ran: what, since when, who put it there and the settings that mattered. */
/** Why an image history row was written: first sight (or a change made outside the app), or an app action. */
export const imageHistorySources = ['observed', 'redeploy', 'update', 'rollback'] as const;

/** The container settings that decide how it runs; environment variable names only, never values. */
export const recordedContainerConfigSchema = z.object({
  cmd: z.array(z.string()).nullable(),
  entrypoint: z.array(z.string()).nullable(),
  envNames: z.array(z.string()),
  ports: z.array(z.string()),
  mounts: z.array(z.string()),
  restartPolicy: z.string().nullable(),
  networkMode: z.string().nullable(),
  user: z.string().nullable(),
});

export const imageHistoryEntrySchema = z.object({
  id: historyId,
  container: z.string(),
  composeService: z.string().nullable(),
  imageRef: z.string(),
  imageId: z.string(),
  digest: z.string().nullable(),
  recordedAt: z.string(),
  actor: z.string(),
  source: z.enum(imageHistorySources),
  /** The container runs this image id now. */
  current: z.boolean(),
  config: recordedContainerConfigSchema,
});
export type ImageHistoryEntryView = z.infer<typeof imageHistoryEntrySchema>;

export const engineDeploymentSchema = z.object({
  production: z.boolean(),
  containers: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      image: z.string(),
      state: z.string(),
      /** Tags of the same repository present on the engine (no registry is asked). */
      localTags: z.array(z.string()),
      /** The image id the container runs (sha256:…), whatever its reference now points to. */
      imageId: z.string().optional(),
      /** "project/service" when it is one of a Compose service's containers (changed together). */
      composeService: z.string().nullable().optional(),
    }),
  ),
  /** Every image the service's containers ran, newest first (recorded in the app's database). */
  history: z.array(imageHistoryEntrySchema).optional(),
});
export type EngineDeploymentView = z.infer<typeof engineDeploymentSchema>;


const redeployResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('done'), id: z.string(), name: z.string(), fromImage: z.string(), toImage: z.string(), message: z.string() }),
  needsConfirmationSchema,
]);
export type RedeployResult = z.infer<typeof redeployResult>;

const containerId = z.string().regex(/^[a-f0-9]{12,64}$/, 'must be a container id');

export const deploymentsContract = {
  /** The Kubernetes Deployment's settings, containers, revision history and rollout status. */
  'deployment.get': call(z.object({ serviceId: serviceIdSchema }).strict(), deploymentDetailsSchema),
  /** `kubectl set image`: one container's image; records a change-cause. Management; audited. */
  'deployment.setImage': call(
    z.object({ serviceId: serviceIdSchema, container: containerNameSchema, image: imageReferenceSchema, confirmation: confirmationSchema }).strict(),
    deploymentActionResult,
  ),
  /** `kubectl rollout undo [--to-revision]`: the chosen ReplicaSet's pod template back into the Deployment. Management; audited. */
  'deployment.rollback': call(
    z.object({ serviceId: serviceIdSchema, toRevision: z.number().int().min(1).max(2 ** 31).optional(), confirmation: confirmationSchema }).strict(),
    deploymentActionResult,
  ),
  /** `kubectl rollout restart`: new pods with the same template. Management; audited. */
  'deployment.restart': call(z.object({ serviceId: serviceIdSchema, confirmation: confirmationSchema }).strict(), deploymentActionResult),
  /** The Docker/Podman Deployment Management tab: the service's containers with their images and local tags. */
  'containers.deployment': call(z.object({ serviceId: serviceIdSchema }).strict(), engineDeploymentSchema),
  /**
   * Recreates the container from its own configuration (name, labels, env, mounts, ports,
   * restart policy, network mode), with `image` when given (it must be on the engine or
   * pullable). The old container is stopped and kept, renamed, until the new one runs, and
   * started again if the new one fails. Management; audited.
   */
  'containers.redeploy': call(
    z
      .object({
        serviceId: serviceIdSchema,
        containerId,
        image: imageReferenceSchema.optional(),
        stopTimeoutSeconds: z.number().int().min(0).max(600).optional(),
        confirmation: confirmationSchema,
      })
      .strict(),
    redeployResult,
  ),
  /**
   * Recreates the container of a history entry (all containers of its Compose service) from the
   * recorded image id, even if the tag moved since, through the redeploy path with its automatic
   * restore. Management; production confirmation; audited.
   */
  'containers.rollback': call(z.object({ serviceId: serviceIdSchema, historyId, confirmation: confirmationSchema }).strict(), redeployResult),
} as const;
