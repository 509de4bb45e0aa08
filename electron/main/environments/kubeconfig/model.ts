import { z } from 'zod';

/**
 * The part of the kubeconfig format the app understands. Unknown fields are kept out of the
 * typed model on purpose: a minimal rebuilt kubeconfig carries only what was validated here.
 * Field names follow kubectl's `clientcmd/api/v1` spelling.
 */
const nonEmpty = z.string().min(1);

export const execEnvVarSchema = z.object({ name: nonEmpty, value: z.string() });

export const execConfigSchema = z.object({
  apiVersion: z.string().optional(),
  command: nonEmpty,
  args: z.array(z.string()).nullish(),
  env: z.array(execEnvVarSchema).nullish(),
  installHint: z.string().optional(),
  provideClusterInfo: z.boolean().optional(),
  interactiveMode: z.string().optional(),
});

export const clusterSchema = z.object({
  server: nonEmpty,
  'certificate-authority': z.string().optional(),
  'certificate-authority-data': z.string().optional(),
  'insecure-skip-tls-verify': z.boolean().optional(),
  'tls-server-name': z.string().optional(),
  'proxy-url': z.string().optional(),
});

export const userSchema = z.object({
  token: z.string().optional(),
  tokenFile: z.string().optional(),
  'client-certificate': z.string().optional(),
  'client-certificate-data': z.string().optional(),
  'client-key': z.string().optional(),
  'client-key-data': z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  exec: execConfigSchema.optional(),
  'auth-provider': z.object({ name: nonEmpty, config: z.record(z.string(), z.string()).nullish() }).optional(),
});

export const contextSchema = z.object({
  cluster: nonEmpty,
  user: z.string().default(''),
  namespace: z.string().optional(),
});

export const kubeconfigSchema = z.object({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  'current-context': z.string().optional(),
  clusters: z.array(z.object({ name: nonEmpty, cluster: clusterSchema })).nullish().transform((v) => v ?? []),
  users: z.array(z.object({ name: nonEmpty, user: userSchema.nullish().transform((u) => u ?? {}) })).nullish().transform((v) => v ?? []),
  contexts: z.array(z.object({ name: nonEmpty, context: contextSchema })).nullish().transform((v) => v ?? []),
});

export type ExecConfig = z.infer<typeof execConfigSchema>;
export type KubeCluster = z.infer<typeof clusterSchema>;
export type KubeUser = z.infer<typeof userSchema>;
export type KubeContext = z.infer<typeof contextSchema>;
export type NamedCluster = { name: string; cluster: KubeCluster };
export type NamedUser = { name: string; user: KubeUser };
export type NamedContext = { name: string; context: KubeContext };

/** A validated kubeconfig; `source` names where it came from for error messages. */
export interface KubeconfigModel {
  readonly source: string;
  readonly currentContext: string | undefined;
  readonly clusters: readonly NamedCluster[];
  readonly users: readonly NamedUser[];
  readonly contexts: readonly NamedContext[];
}

export type ContextWarning =
  | { kind: 'insecure-skip-tls-verify'; message: string }
  | { kind: 'exec'; message: string; command: string; args: string[] }
  | { kind: 'auth-provider'; message: string; provider: string }
  | { kind: 'proxy-url'; message: string; proxyUrl: string }
  | { kind: 'credential-file'; message: string; path: string };
