// What every handler and controller of one test server shares.

import type { EventRecorder } from './events.ts';
import type { OidcAuthentication } from './oidc.ts';
import type { KubeObject, Service } from './model/types.ts';
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

/** One authorized request, as kube-apiserver's audit log names it. */
export interface AuditEvent {
  readonly user: string;
  /** get, list, watch, create, update, patch, delete, deletecollection. */
  readonly verb: string;
  readonly resource: string;
  /** '' for the resource itself (and below, for a cluster-scoped or collection request). */
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
  /** The request's query, e.g. labelSelector=app%3Dweb&limit=500. */
  readonly query: string;
  /**
   * The TLS connection it came over, numbered from 1 as the server accepted them (kube-apiserver
   * logs the client's address instead): which requests shared a connection.
   */
  readonly connection: number;
}

/** The audit log keeps the newest events only: enough for a test's own requests, bounded for benches listing 20k pods. */
export const auditLogLimit = 10_000;

export interface KubeContext {
  store: ObjectStore;
  events: EventRecorder;
  timers: Timers;
  users: TestUser[];
  /** Accepts id-tokens of this issuer for users with auth "oidc" (kube-apiserver's --oidc-* flags). */
  oidc?: OidcAuthentication;
  timings: ServerTimings;
  metrics: MetricsSource;
  logs: PodLogStore;
  /** Open watch streams, ended when the server closes. */
  watches: Set<{ end(): void }>;
  /** Authorized API requests, oldest first (kube-apiserver's audit log at level Metadata, trimmed). */
  audit: AuditEvent[];
  /** Server address as discovery reports it, "127.0.0.1:PORT". */
  serverAddress: string;
  /** The number of each TLS connection (its handshake done), by socket. */
  connections: WeakMap<object, number>;
}

export interface Availability {
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/**
 * kube-aggregator's rule: a Local APIService is available; a service-backed one needs its
 * Service and a ready endpoint address on the Service's port (messages as the aggregator's).
 */
export function apiServiceAvailability(context: KubeContext, apiService: KubeObject): Availability {
  const spec = (apiService.spec ?? {}) as { service?: { name?: string; namespace?: string; port?: number } | null };
  const ref = spec.service;
  if (!ref?.name) return { status: 'True', reason: 'Local', message: 'Local APIServices are always available' };
  const namespace = ref.namespace ?? '';
  const where = `service/${ref.name} in "${namespace}"`;
  const service = context.store.get<Service>('services', namespace, ref.name);
  if (!service) return { status: 'False', reason: 'ServiceNotFound', message: `${where} is not present` };
  const port = (service.spec.ports ?? []).find((candidate) => candidate.port === (ref.port ?? 443));
  if (!port) return { status: 'False', reason: 'ServicePortError', message: `${where} is not listening on port ${ref.port ?? 443}` };
  const endpoints = context.store.get<KubeObject>('endpoints', namespace, ref.name);
  const subsets = (endpoints?.subsets ?? []) as { addresses?: unknown[]; ports?: { name?: string }[] }[];
  const ready = subsets.some((subset) => (subset.addresses ?? []).length > 0 && (subset.ports ?? []).some((candidate) => (candidate.name ?? '') === (port.name ?? '')));
  if (!endpoints) return { status: 'False', reason: 'EndpointsNotFound', message: `cannot find endpoints for ${where}` };
  if (!ready) return { status: 'False', reason: 'MissingEndpoints', message: `endpoints for ${where} have no addresses with port name "${port.name ?? ''}"` };
  return { status: 'True', reason: 'Passed', message: 'all checks passed' };
}

/** metrics.k8s.io is served while the v1beta1.metrics.k8s.io APIService exists and is available. */
export function metricsServerInstalled(context: KubeContext): boolean {
  const apiService = context.store.get<KubeObject>('apiservices.apiregistration.k8s.io', '', 'v1beta1.metrics.k8s.io');
  return apiService !== undefined && apiServiceAvailability(context, apiService).status === 'True';
}
