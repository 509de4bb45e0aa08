// What every handler and controller of one test server shares.

import type { EventRecorder } from './events.ts';
import type { MetricsSource } from './metrics.ts';
import type { PodLogStore } from './pod-logs.ts';
import type { TestUser } from './rbac.ts';
import type { ObjectStore } from './store.ts';
import type { Timers } from './timers.ts';

/** Controller timings. Defaults keep a whole rollout well under a second; tests may tune them. */
export interface ServerTimings {
  /** Scheduled pod → containers running (image pull + start). */
  kubeletStartDelayMs: number;
  /** How long a container that honours SIGTERM takes to stop. */
  containerStopMs: number;
  /** How long a crashing or run-to-completion container runs before it exits. */
  containerRunMs: number;
  /** First CrashLoopBackOff / ImagePullBackOff delay; doubles per restart up to backoffMaxMs. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** HPA controller resync period. */
  hpaSyncMs: number;
  /** Watch bookmark period when clients allow bookmarks. */
  bookmarkIntervalMs: number;
}

export const DEFAULT_TIMINGS: ServerTimings = {
  kubeletStartDelayMs: 100,
  containerStopMs: 50,
  containerRunMs: 150,
  backoffBaseMs: 400,
  backoffMaxMs: 5000,
  hpaSyncMs: 300,
  bookmarkIntervalMs: 1000,
};

export interface KubeContext {
  store: ObjectStore;
  events: EventRecorder;
  timers: Timers;
  users: TestUser[];
  timings: ServerTimings;
  metrics: MetricsSource;
  logs: PodLogStore;
  /** Open watch streams, ended when the server closes. */
  watches: Set<{ end(): void }>;
  /** Server address as discovery reports it, "127.0.0.1:PORT". */
  serverAddress: string;
}

/** metrics.k8s.io is served while a metrics-server Deployment exists in kube-system. */
export function metricsServerInstalled(context: KubeContext): boolean {
  return context.store.get('deployments.apps', 'kube-system', 'metrics-server') !== undefined;
}
