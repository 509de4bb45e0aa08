import { AppsV1Api, CoreV1Api, Observable, type ConfigurationOptions, type V1Deployment } from '@kubernetes/client-node';
import type { ContainerInfo } from 'dockerode';
import { AppError, type MessageText } from '../../../shared/errors.ts';
import type { RuntimeAccess } from '../connections/runtime-access.ts';
import type { EnvironmentRecord } from '../environments/environment-repository.ts';
import { doing, kubernetesError } from '../operations/kubernetes/kube-errors.ts';

/** One environment's raw material for the catalogue, read in a single pass. */
export type EnvironmentSnapshot =
  | { readonly kind: 'kubernetes'; readonly deployments: ReadonlyMap<string, readonly V1Deployment[]> }
  | { readonly kind: 'engine'; readonly containers: readonly ContainerInfo[] };

/**
 * Reads what an environment runs, through the connection method its settings choose:
 * Deployments in the asked namespaces (all in parallel), or every container of an engine.
 * Each environment gets its own deadline so one unreachable cluster cannot hold up the list.
 */
export class EnvironmentDiscovery {
  private readonly runtime: RuntimeAccess;
  private readonly timeoutMs: number;

  constructor(runtime: RuntimeAccess, timeoutMs: number) {
    this.runtime = runtime;
    this.timeoutMs = timeoutMs;
  }

  /** A discovery past its deadline is cancelled (its requests aborted), not left running. */
  snapshot(env: EnvironmentRecord, namespaces: readonly string[]): Promise<EnvironmentSnapshot> {
    const cancel = new AbortController();
    const work = env.kind === 'kubernetes' ? this.deployments(env, namespaces, cancel.signal) : this.containers(env, cancel.signal);
    const seconds = Math.round(this.timeoutMs / 1000);
    const late = { key: 'environments.catalog.noAnswerWithin', params: { name: env.name, seconds } };
    return withDeadline(work, this.timeoutMs, `"${env.name}" did not answer within ${seconds} s.`, cancel, late);
  }

  /** The cluster's namespaces, for the picker; null with the reason when the user may not list them. */
  async namespaces(env: EnvironmentRecord): Promise<{ names: string[] } | { problem: string; problemText?: MessageText }> {
    try {
      const late = { key: 'environments.catalog.noAnswer', params: { name: env.name } };
      const access = await withDeadline(this.runtime.kubernetes(env.id), this.timeoutMs, `"${env.name}" did not answer in time.`, undefined, late);
      const list = await withDeadline(access.kubeConfig.makeApiClient(CoreV1Api).listNamespace(), this.timeoutMs, `"${env.name}" did not answer in time.`, undefined, late);
      return { names: list.items.map((item) => item.metadata?.name ?? '').filter((name) => name !== '').sort() };
    } catch (error) {
      const failure = kubernetesError(error, doing('listNamespaces'));
      return { problem: failure.message, ...(failure.text === undefined ? {} : { problemText: failure.text }) };
    }
  }

  private async deployments(env: EnvironmentRecord, namespaces: readonly string[], signal: AbortSignal): Promise<EnvironmentSnapshot> {
    const access = await this.runtime.kubernetes(env.id);
    signal.throwIfAborted();
    const apps = access.kubeConfig.makeApiClient(AppsV1Api);
    const cancellable = abortWith(signal);
    const lists = await Promise.all(
      namespaces.map(async (namespace) => {
        try {
          return [namespace, (await apps.listNamespacedDeployment({ namespace }, cancellable)).items] as const;
        } catch (error) {
          throw kubernetesError(error, doing('listDeploymentsIn', { namespace, environment: env.name }));
        }
      }),
    );
    return { kind: 'kubernetes', deployments: new Map(lists) };
  }

  private async containers(env: EnvironmentRecord, signal: AbortSignal): Promise<EnvironmentSnapshot> {
    const access = await this.runtime.engine(env.id);
    signal.throwIfAborted();
    try {
      return { kind: 'engine', containers: await access.docker.listContainers({ all: true, abortSignal: signal }) };
    } catch (error) {
      if (error instanceof AppError) throw error;
      const detail = error instanceof Error ? error.message : String(error);
      throw new AppError('UNREACHABLE', `Cannot list the containers of "${env.name}": ${detail}`, undefined, { key: 'environments.catalog.containersUnreachable', params: { name: env.name, detail } });
    }
  }
}

/** Request options that abort a Kubernetes API call once `signal` fires. */
function abortWith(signal: AbortSignal): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (context) => {
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

/** Rejects with TIMEOUT after `ms`; with `cancel`, the late work is aborted rather than left running. */
export function withDeadline<T>(work: Promise<T>, ms: number, message: string, cancel?: AbortController, text?: MessageText): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new AppError('TIMEOUT', message, undefined, text));
      cancel?.abort(new AppError('TIMEOUT', message, undefined, text));
    }, ms);
  });
  // The aborted work's own rejection arrives after the race is decided; nobody waits for it.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
