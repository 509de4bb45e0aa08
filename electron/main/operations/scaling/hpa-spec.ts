import type { V2HorizontalPodAutoscaler, V2MetricSpec } from '@kubernetes/client-node';
import type { KubernetesServiceRef } from '../kubernetes/kubernetes-access.ts';

// The HPA as KIOPS writes and reads it. Writing follows `kubectl autoscale --cpu-percent`:
// an autoscaling/v2 object named like the Deployment, targeting it, with one Resource metric
// (cpu, Utilization). Reading turns any HPA on the Deployment into what the panel shows.

export interface HpaSettings {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Target average CPU utilisation, % of the pods' CPU requests. */
  readonly targetCpu: number;
}

export interface HpaState {
  readonly name: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCpu: number | null;
  readonly currentCpu: number | null;
  readonly currentReplicas: number;
  readonly desiredReplicas: number;
  readonly otherMetrics: string[];
  readonly conditions: { type: string; status: string; reason: string | null; message: string | null }[];
}

const isCpuUtilization = (metric: V2MetricSpec) => metric.type === 'Resource' && metric.resource?.name === 'cpu' && metric.resource.target.type === 'Utilization';

export function cpuMetric(targetCpu: number): V2MetricSpec {
  return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: targetCpu } } };
}

/** Whether this HPA scales the service's Deployment (any HPA name: one may come from outside KIOPS). */
export function targetsDeployment(hpa: V2HorizontalPodAutoscaler, ref: KubernetesServiceRef): boolean {
  const target = hpa.spec?.scaleTargetRef;
  return target?.kind === 'Deployment' && target.name === ref.deployment && (target.apiVersion === undefined || target.apiVersion.startsWith('apps/'));
}

/** What `kubectl autoscale deployment/<name> --min --max --cpu-percent` creates. */
export function newHpa(ref: KubernetesServiceRef, settings: HpaSettings): V2HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: ref.deployment, namespace: ref.namespace },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: ref.deployment },
      minReplicas: settings.minReplicas,
      maxReplicas: settings.maxReplicas,
      metrics: [cpuMetric(settings.targetCpu)],
    },
  };
}

/**
 * An existing HPA with KIOPS's three fields set. The CPU Utilization metric is replaced (or
 * added); metrics KIOPS does not edit (memory, custom) applied by YAML are kept, not dropped.
 */
export function updatedHpa(existing: V2HorizontalPodAutoscaler, settings: HpaSettings): V2HorizontalPodAutoscaler {
  const others = (existing.spec?.metrics ?? []).filter((metric) => !isCpuUtilization(metric));
  const spec = existing.spec ?? { scaleTargetRef: { kind: 'Deployment', name: '' }, maxReplicas: settings.maxReplicas };
  return {
    ...existing,
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    spec: { ...spec, minReplicas: settings.minReplicas, maxReplicas: settings.maxReplicas, metrics: [cpuMetric(settings.targetCpu), ...others] },
  };
}

function metricLabel(metric: V2MetricSpec): string {
  const name = metric.resource?.name ?? metric.containerResource?.name ?? metric.pods?.metric.name ?? metric.object?.metric.name ?? metric.external?.metric.name ?? '';
  return name ? `${metric.type} ${name}` : metric.type;
}

export function hpaState(hpa: V2HorizontalPodAutoscaler): HpaState {
  const metrics = hpa.spec?.metrics ?? [];
  const cpu = metrics.find(isCpuUtilization);
  const current = hpa.status?.currentMetrics?.find((metric) => metric.type === 'Resource' && metric.resource?.name === 'cpu')?.resource?.current.averageUtilization;
  return {
    name: hpa.metadata?.name ?? '',
    minReplicas: hpa.spec?.minReplicas ?? 1,
    maxReplicas: hpa.spec?.maxReplicas ?? 0,
    targetCpu: cpu?.resource?.target.averageUtilization ?? null,
    currentCpu: current ?? null,
    currentReplicas: hpa.status?.currentReplicas ?? 0,
    desiredReplicas: hpa.status?.desiredReplicas ?? 0,
    otherMetrics: metrics.filter((metric) => !isCpuUtilization(metric)).map(metricLabel),
    conditions: (hpa.status?.conditions ?? []).map((condition) => ({
      type: condition.type,
      status: condition.status,
      reason: condition.reason ?? null,
      message: condition.message ?? null,
    })),
  };
}
