// Version conversion at the API edge. Only HorizontalPodAutoscaler is served in two versions:
// it is stored as autoscaling/v2 and converted for autoscaling/v1 clients (kubectl autoscale
// and older code read targetCPUUtilizationPercentage).

import { isRecord, type HorizontalPodAutoscaler, type KubeObject, type MetricSpec } from '../model/types.ts';
import { apiVersionOf, type ResourceType } from './resources.ts';

function storageVersion(type: ResourceType): string {
  return type.versions[0] ?? 'v1';
}

export function toStorage(type: ResourceType, version: string, object: KubeObject): KubeObject {
  const storage = storageVersion(type);
  if (type.kind === 'HorizontalPodAutoscaler' && version === 'v1') {
    const spec = isRecord(object.spec) ? object.spec : {};
    const status = isRecord(object.status) ? object.status : undefined;
    const target = typeof spec.targetCPUUtilizationPercentage === 'number' ? spec.targetCPUUtilizationPercentage : 80;
    const { targetCPUUtilizationPercentage: _target, ...rest } = spec;
    const converted: HorizontalPodAutoscaler = {
      ...object,
      apiVersion: apiVersionOf(type.group, storage),
      kind: type.kind,
      spec: { ...(rest as HorizontalPodAutoscaler['spec']), metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }] },
    };
    if (status) {
      const current = status.currentCPUUtilizationPercentage;
      const { currentCPUUtilizationPercentage: _current, ...statusRest } = status;
      converted.status = {
        ...(statusRest as NonNullable<HorizontalPodAutoscaler['status']>),
        currentMetrics: typeof current === 'number' ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }] : null,
      };
    }
    return converted;
  }
  return { ...object, apiVersion: apiVersionOf(type.group, storage), kind: type.kind };
}

export function fromStorage(type: ResourceType, version: string, object: KubeObject): KubeObject {
  if (type.kind === 'HorizontalPodAutoscaler' && version === 'v1') {
    const hpa = object as HorizontalPodAutoscaler;
    const cpu = (hpa.spec.metrics ?? []).find((metric: MetricSpec) => metric.type === 'Resource' && metric.resource?.name === 'cpu');
    const current = (hpa.status?.currentMetrics ?? []).find((metric) => metric.type === 'Resource' && metric.resource?.name === 'cpu');
    const { metrics: _metrics, behavior: _behavior, ...specRest } = hpa.spec;
    return {
      ...hpa,
      apiVersion: 'autoscaling/v1',
      kind: type.kind,
      spec: { ...specRest, ...(cpu?.resource?.target.averageUtilization !== undefined ? { targetCPUUtilizationPercentage: cpu.resource.target.averageUtilization } : {}) },
      status: {
        ...(hpa.status?.observedGeneration !== undefined ? { observedGeneration: hpa.status.observedGeneration } : {}),
        ...(hpa.status?.lastScaleTime ? { lastScaleTime: hpa.status.lastScaleTime } : {}),
        currentReplicas: hpa.status?.currentReplicas ?? 0,
        desiredReplicas: hpa.status?.desiredReplicas ?? 0,
        ...(current?.resource?.current.averageUtilization !== undefined ? { currentCPUUtilizationPercentage: current.resource.current.averageUtilization } : {}),
      },
    };
  }
  return object;
}

export function needsConversion(type: ResourceType, version: string): boolean {
  return version !== storageVersion(type);
}
