// HorizontalPodAutoscaler controller: every hpaSyncMs, read the simulated CPU usage of the
// target's pods, compute utilisation against their requests, and scale within min/max with the
// real controller's 10% tolerance, conditions and events.

import { metricsServerInstalled, type KubeContext } from '../context.ts';
import { setCondition } from '../model/conditions.ts';
import { formatCpu, parseQuantity } from '../model/quantity.ts';
import { matchesSelector } from '../model/selectors.ts';
import { timestamp } from '../model/time.ts';
import type { Condition, Deployment, HorizontalPodAutoscaler, Pod } from '../model/types.ts';

const SOURCE = { component: 'horizontal-pod-autoscaler' };
const TOLERANCE = 0.1;

interface Outcome {
  desired: number;
  utilization?: number;
  averageCpu?: number;
  problem?: { reason: string; message: string };
}

export class HpaController {
  private readonly context: KubeContext;

  constructor(context: KubeContext) {
    this.context = context;
    context.timers.every(context.timings.hpaSyncMs, () => this.syncAll());
  }

  syncAll(): void {
    for (const hpa of this.context.store.list<HorizontalPodAutoscaler>('horizontalpodautoscalers.autoscaling')) {
      try {
        this.sync(hpa);
      } catch (error) {
        process.emitWarning(`kube test server hpa-controller: ${(error as Error).message}`);
      }
    }
  }

  private measure(hpa: HorizontalPodAutoscaler, target: Deployment, current: number): Outcome {
    const metric = (hpa.spec.metrics ?? []).find((entry) => entry.type === 'Resource' && entry.resource?.name === 'cpu');
    const targetUtilization = metric?.resource?.target.averageUtilization;
    if (targetUtilization === undefined) return { desired: current, problem: { reason: 'FailedGetResourceMetric', message: 'the HPA was unable to compute the replica count: only cpu utilization targets are simulated' } };
    if (!metricsServerInstalled(this.context)) {
      return {
        desired: current,
        problem: {
          reason: 'FailedGetResourceMetric',
          message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)',
        },
      };
    }
    const pods = this.context.store
      .list<Pod>('pods', hpa.metadata.namespace)
      .filter((pod) => pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp && matchesSelector(pod.metadata.labels, target.spec.selector));
    if (pods.length === 0) {
      return { desired: current, problem: { reason: 'FailedGetResourceMetric', message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)' } };
    }
    let usage = 0;
    let requests = 0;
    for (const pod of pods) {
      for (const container of pod.spec.containers) {
        const request = container.resources?.requests?.cpu;
        if (!request) {
          return { desired: current, problem: { reason: 'FailedGetResourceMetric', message: `the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container ${container.name} of Pod ${pod.metadata.name ?? ''}` } };
        }
        requests += parseQuantity(request);
      }
      for (const entry of this.context.metrics.containerUsage(pod)) usage += entry.cpuCores;
    }
    const utilization = Math.round((usage / requests) * 100);
    const ratio = usage / requests / (targetUtilization / 100);
    const desired = Math.abs(ratio - 1) <= TOLERANCE ? current : Math.ceil(ratio * pods.length);
    return { desired, utilization, averageCpu: usage / pods.length };
  }

  sync(hpa: HorizontalPodAutoscaler): void {
    const namespace = hpa.metadata.namespace ?? '';
    const ref = hpa.spec.scaleTargetRef;
    const typeKey = ref.kind === 'ReplicaSet' ? 'replicasets.apps' : 'deployments.apps';
    const target = this.context.store.get<Deployment>(typeKey, namespace, ref.name);
    let conditions = hpa.status?.conditions;
    if (!target) {
      const message = `the HPA controller was unable to get the target's current scale: ${ref.kind.toLowerCase()}s/scale.apps "${ref.name}" not found`;
      conditions = setCondition(conditions, { type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message });
      this.write(hpa, { conditions });
      this.context.events.record(hpa, 'Warning', 'FailedGetScale', `${ref.kind.toLowerCase()}s/scale.apps "${ref.name}" not found`, SOURCE);
      return;
    }
    const current = target.spec.replicas ?? 1;
    const min = hpa.spec.minReplicas ?? 1;
    const max = hpa.spec.maxReplicas;
    if (current === 0 && min > 0) {
      conditions = setCondition(conditions, { type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
      this.write(hpa, { currentReplicas: 0, desiredReplicas: 0, conditions });
      return;
    }
    const outcome = this.measure(hpa, target, current);
    let desired = outcome.desired;
    let limited: Omit<Condition, 'lastTransitionTime'> = { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
    if (desired > max) {
      desired = max;
      limited = { type: 'ScalingLimited', status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
    } else if (desired < min) {
      desired = min;
      limited = { type: 'ScalingLimited', status: 'True', reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
    }
    let lastScaleTime = hpa.status?.lastScaleTime;
    if (outcome.problem) {
      conditions = setCondition(conditions, { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: 'the HPA controller was able to get the target\'s current scale' });
      conditions = setCondition(conditions, { type: 'ScalingActive', status: 'False', ...outcome.problem });
      this.context.events.record(hpa, 'Warning', outcome.problem.reason, outcome.problem.message.replace('the HPA was unable to compute the replica count: ', ''), SOURCE);
      if (desired === current) {
        this.write(hpa, { currentReplicas: current, desiredReplicas: current, conditions, currentMetrics: null, lastScaleTime });
        return;
      }
    }
    if (desired !== current) {
      this.context.store.mutate<Deployment>(typeKey, namespace, ref.name, (copy) => {
        copy.spec.replicas = desired;
      });
      lastScaleTime = timestamp();
      const reason = desired > max || limited.status === 'True' ? (desired > current ? 'above target' : 'below target') : desired > current ? 'cpu resource utilization (percentage of request) above target' : 'All metrics below target';
      this.context.events.record(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`, SOURCE);
      conditions = setCondition(conditions, { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${desired}` });
    } else {
      conditions = setCondition(conditions, { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' });
    }
    if (!outcome.problem) {
      conditions = setCondition(conditions, { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' });
    }
    conditions = setCondition(conditions, limited);
    const currentMetrics =
      outcome.utilization !== undefined
        ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: outcome.utilization, averageValue: formatCpu(outcome.averageCpu ?? 0) } } }]
        : null;
    this.write(hpa, { currentReplicas: current, desiredReplicas: desired, conditions, currentMetrics, lastScaleTime });
  }

  private write(hpa: HorizontalPodAutoscaler, status: NonNullable<HorizontalPodAutoscaler['status']>): void {
    this.context.store.mutate<HorizontalPodAutoscaler>('horizontalpodautoscalers.autoscaling', hpa.metadata.namespace ?? '', hpa.metadata.name ?? '', (copy) => {
      const order = ['AbleToScale', 'ScalingActive', 'ScalingLimited'];
      copy.status = { ...(copy.status ?? {}), ...status, observedGeneration: copy.metadata.generation };
      if (copy.status.conditions) copy.status.conditions = [...copy.status.conditions].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
      if (!copy.status.lastScaleTime) delete copy.status.lastScaleTime;
    });
  }
}
