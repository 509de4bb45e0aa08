import { z } from 'zod';
import { serviceIdSchema, serviceTargetSchema } from './catalog.ts';
import { call } from './define.ts';
import { environmentKinds } from './environments.ts';
import { keyedTextSchema } from './keyed-text.ts';

// The Operations Modal's frame: which tabs this operator gets for one service, and why any
// are missing. The tab contents have calls of their own.

export const operatorPermissionNames = ['logs', 'commands', 'management'] as const;
export type OperatorPermissionName = (typeof operatorPermissionNames)[number];

/** In the order the modal shows them. Kubernetes: up to 7; Docker/Podman: up to 6 (no config). */
export const operationsTabIds = ['overview', 'pods', 'containers', 'deployment', 'config', 'logs', 'commands', 'domains'] as const;
export type OperationsTabId = (typeof operationsTabIds)[number];

export const permissionReasonSchema = z.object({
  permission: z.enum(operatorPermissionNames),
  source: z.enum(['policy', 'policy-error', 'rbac']),
  message: z.string(),
  /** `message` as a key of the window's messages, for its language. */
  text: keyedTextSchema.optional(),
});

export const operatorPermissionsSchema = z.object({
  logs: z.boolean(),
  commands: z.boolean(),
  management: z.boolean(),
  reasons: z.array(permissionReasonSchema),
});
export type OperatorPermissionsView = z.infer<typeof operatorPermissionsSchema>;

export const operationsTabSchema = z.object({
  id: z.enum(operationsTabIds),
  /** The permission without which the tab is hidden (config: management; logs; commands). */
  requires: z.enum(operatorPermissionNames).optional(),
  /** Set when the tab is shown but its management actions are disabled, with why. */
  actionsDisabledReason: z.string().optional(),
  /** `actionsDisabledReason` keyed, for the window's language. */
  actionsDisabledText: keyedTextSchema.optional(),
});
export type OperationsTab = z.infer<typeof operationsTabSchema>;

export const hiddenTabSchema = z.object({
  id: z.enum(operationsTabIds),
  requires: z.enum(operatorPermissionNames),
  /** "Request permission from your organization manager", with the policy or RBAC detail. */
  reason: z.string(),
  /** `reason` keyed, for the window's language. */
  reasonText: keyedTextSchema.optional(),
});

export const operationsFrameSchema = z.object({
  service: z.object({
    id: z.string(),
    name: z.string(),
    namespace: z.string().optional(),
    target: serviceTargetSchema,
    source: z.enum(['discovered', 'manual']),
  }),
  environment: z.object({ id: z.string(), name: z.string(), production: z.boolean() }),
  runtime: z.enum(environmentKinds),
  tabs: z.array(operationsTabSchema),
  hiddenTabs: z.array(hiddenTabSchema),
  permissions: operatorPermissionsSchema,
});
export type OperationsFrame = z.infer<typeof operationsFrameSchema>;

export const operationsContract = {
  /** Opens the Operations Modal: the service, its environment and the tabs this operator gets. */
  'operations.describe': call(z.object({ serviceId: serviceIdSchema }).strict(), operationsFrameSchema),
} as const;
