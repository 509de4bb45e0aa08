// Table columns of the apps and autoscaling printers: deployments, replicasets, HPAs.

import { ageOf } from '../model/time.ts';
import { selectorToString } from '../model/selectors.ts';
import type { KubeObject, LabelSelector } from '../model/types.ts';
import { arr, column, rec, str, type TablePrinter } from './table-cells.ts';

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

function containerColumns(object: KubeObject): [string, string, string] {
  const spec = rec(object.spec);
  const containers = arr(rec(rec(spec.template).spec).containers).map(rec);
  return [containers.map((container) => str(container.name)).join(','), containers.map((container) => str(container.image)).join(','), selectorToString(spec.selector as LabelSelector) || '<none>'];
}

const deployments: TablePrinter = {
  columns: [column('Name'), column('Ready'), column('Up-to-date'), column('Available'), column('Age'), column('Containers', 'string', 1), column('Images', 'string', 1), column('Selector', 'string', 1)],
  cells(object, now) {
    const status = rec(object.status);
    const desired = num(rec(object.spec).replicas);
    return [object.metadata.name ?? '', `${num(status.readyReplicas)}/${desired}`, num(status.updatedReplicas), num(status.availableReplicas), ageOf(object.metadata.creationTimestamp, now), ...containerColumns(object)];
  },
};

const replicasets: TablePrinter = {
  columns: [column('Name'), column('Desired', 'integer'), column('Current', 'integer'), column('Ready', 'integer'), column('Age'), column('Containers', 'string', 1), column('Images', 'string', 1), column('Selector', 'string', 1)],
  cells(object, now) {
    const status = rec(object.status);
    return [object.metadata.name ?? '', num(rec(object.spec).replicas), num(status.replicas), num(status.readyReplicas), ageOf(object.metadata.creationTimestamp, now), ...containerColumns(object)];
  },
};

function hpaTargets(object: KubeObject): string {
  const metrics = arr(rec(object.spec).metrics).map(rec);
  const current = arr(rec(object.status).currentMetrics).map(rec);
  if (metrics.length === 0) return '<none>';
  const parts = metrics.map((metric) => {
    const resource = rec(metric.resource);
    const target = rec(resource.target);
    const status = current.map((entry) => rec(entry.resource)).find((entry) => entry.name === resource.name);
    const currentValue = rec(status?.current);
    if (target.averageValue !== undefined) {
      return `${str(resource.name)}: ${str(currentValue.averageValue) || '<unknown>'}/${str(target.averageValue)}`;
    }
    const currentText = typeof currentValue.averageUtilization === 'number' ? `${currentValue.averageUtilization}%` : '<unknown>';
    const targetText = typeof target.averageUtilization === 'number' ? `${target.averageUtilization}%` : '<auto>';
    return `${str(resource.name)}: ${currentText}/${targetText}`;
  });
  return parts.length > 2 ? `${parts.slice(0, 2).join(', ')} + ${parts.length - 2} more...` : parts.join(', ');
}

const horizontalpodautoscalers: TablePrinter = {
  columns: [column('Name'), column('Reference'), column('Targets'), column('MinPods', 'string'), column('MaxPods', 'integer'), column('Replicas', 'integer'), column('Age')],
  cells(object, now) {
    const spec = rec(object.spec);
    const ref = rec(spec.scaleTargetRef);
    const min = typeof spec.minReplicas === 'number' ? String(spec.minReplicas) : '<unset>';
    return [object.metadata.name ?? '', `${str(ref.kind)}/${str(ref.name)}`, hpaTargets(object), min, num(spec.maxReplicas), num(rec(object.status).currentReplicas), ageOf(object.metadata.creationTimestamp, now)];
  },
};

export const WORKLOAD_TABLES: Record<string, TablePrinter> = {
  'deployments.apps': deployments,
  'replicasets.apps': replicasets,
  'horizontalpodautoscalers.autoscaling': horizontalpodautoscalers,
};
