// kube-aggregator's availability check for APIServices: a service-backed APIService is
// Available only while its Service exists and its Endpoints have a ready address on the
// service's port, as the aggregator's AvailableConditionController decides (without the
// HTTPS discovery probe, which needs a real backend).

import { apiServiceAvailability, type KubeContext } from '../context.ts';
import { setCondition } from '../model/conditions.ts';
import type { Condition, KubeObject } from '../model/types.ts';
import { WorkQueue, splitKey } from './work-queue.ts';

const KEY = 'apiservices.apiregistration.k8s.io';

export class ApiServiceController {
  private readonly context: KubeContext;
  private readonly queue: WorkQueue;

  constructor(context: KubeContext) {
    this.context = context;
    this.queue = new WorkQueue('apiservice-availability', context.timers, (key) => this.sync(key));
    context.store.subscribe((change) => {
      if (change.typeKey === KEY && change.type !== 'DELETED') this.queue.add(`/${change.object.metadata.name ?? ''}`);
      if (change.typeKey === 'services' || change.typeKey === 'endpoints') {
        for (const apiService of context.store.list(KEY)) this.queue.add(`/${apiService.metadata.name ?? ''}`);
      }
    });
  }

  private sync(key: string): void {
    const [, name] = splitKey(key);
    const current = this.context.store.get<KubeObject>(KEY, '', name);
    if (!current) return;
    const next = apiServiceAvailability(this.context, current);
    const conditions = ((current.status as { conditions?: Condition[] } | undefined)?.conditions ?? []) as Condition[];
    const previous = conditions.find((condition) => condition.type === 'Available');
    if (previous && previous.status === next.status && previous.reason === next.reason && previous.message === next.message) return;
    this.context.store.mutate<KubeObject>(KEY, '', name, (copy) => {
      copy.status = { conditions: setCondition(conditions, { type: 'Available', ...next }) };
    });
  }
}
