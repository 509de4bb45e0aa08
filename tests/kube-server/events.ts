// core/v1 Events as controllers emit them, with the client-go correlator's behaviour of
// folding repeats into one Event whose count and lastTimestamp grow.

import type { ObjectStore } from './store.ts';
import { timestamp } from './model/time.ts';
import type { CoreEvent, KubeObject } from './model/types.ts';

export interface EventSource {
  component: string;
  host?: string;
}

export class EventRecorder {
  private readonly store: ObjectStore;
  private readonly seen = new Map<string, { namespace: string; name: string }>();
  /** Bulk seeding turns events off so 5,000 pods do not cost 25,000 events. */
  enabled = true;
  private sequence = 0;

  constructor(store: ObjectStore) {
    this.store = store;
  }

  record(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource, fieldPath?: string): void {
    if (!this.enabled) return;
    const namespace = object.metadata.namespace || 'default';
    const key = [object.metadata.uid, fieldPath, type, reason, message, source.component, source.host].join('\u0000');
    const now = timestamp();
    const existing = this.seen.get(key);
    if (existing && this.store.get('events', existing.namespace, existing.name)) {
      this.store.mutate<CoreEvent>('events', existing.namespace, existing.name, (event) => {
        event.count = (event.count ?? 1) + 1;
        event.lastTimestamp = now;
      });
      return;
    }
    if (!this.store.get('namespaces', '', namespace)) return;
    // Like client-go, name events <object>.<unix nanos in hex>, so listing order is creation order.
    const nanos = BigInt(Date.now()) * 1_000_000n + BigInt(this.sequence++ % 1_000_000);
    const name = `${object.metadata.name ?? 'unknown'}.${nanos.toString(16)}`;
    const event: CoreEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        kind: object.kind,
        namespace: object.metadata.namespace,
        name: object.metadata.name,
        uid: object.metadata.uid,
        apiVersion: object.apiVersion,
        resourceVersion: object.metadata.resourceVersion,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    };
    this.store.create('events', event);
    this.seen.set(key, { namespace, name });
  }
}
