// The simulated resource usage behind metrics.k8s.io and the HPA controller. Tests set a
// pod's usage directly or for every pod a label selector matches (so pods an HPA adds later
// report the same load); pods without a setting report a small idle usage.

import { parseLabelSelector, matchesRequirements, type Requirement } from './model/selectors.ts';
import { parseQuantity } from './model/quantity.ts';
import type { Pod } from './model/types.ts';

export interface Usage {
  cpu?: string;
  memory?: string;
}

interface SelectorUsage {
  namespace: string;
  requirements: Requirement[];
  usage: Usage;
}

export interface ContainerUsage {
  name: string;
  cpuCores: number;
  memoryBytes: number;
}

const IDLE_CPU = 0.001;
const IDLE_MEMORY = 8 * 2 ** 20;

export class MetricsSource {
  private readonly byPod = new Map<string, Usage>();
  private readonly bySelector: SelectorUsage[] = [];

  /** Usage of the whole pod, shared evenly by its containers. */
  setPodUsage(namespace: string, pod: string, usage: Usage): void {
    this.byPod.set(`${namespace}/${pod}`, usage);
  }

  /** Usage of every pod (present or future) whose labels match `selector` in `namespace`. */
  setSelectorUsage(namespace: string, selector: string, usage: Usage): void {
    this.bySelector.unshift({ namespace, requirements: parseLabelSelector(selector), usage });
  }

  clear(): void {
    this.byPod.clear();
    this.bySelector.length = 0;
  }

  containerUsage(pod: Pod): ContainerUsage[] {
    const namespace = pod.metadata.namespace ?? '';
    const usage =
      this.byPod.get(`${namespace}/${pod.metadata.name ?? ''}`) ??
      this.bySelector.find((entry) => entry.namespace === namespace && matchesRequirements(pod.metadata.labels, entry.requirements))?.usage;
    const containers = pod.spec.containers;
    const share = containers.length || 1;
    return containers.map((container) => ({
      name: container.name,
      cpuCores: usage?.cpu !== undefined ? parseQuantity(usage.cpu) / share : IDLE_CPU,
      memoryBytes: usage?.memory !== undefined ? parseQuantity(usage.memory) / share : IDLE_MEMORY,
    }));
  }
}
