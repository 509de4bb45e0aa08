// A de-duplicating work queue: many store changes for one key between two runs cost one sync.

import type { Timers } from '../timers.ts';

export class WorkQueue {
  private readonly keys = new Set<string>();
  private scheduled = false;
  private readonly timers: Timers;
  private readonly sync: (key: string) => void;
  private readonly name: string;

  constructor(name: string, timers: Timers, sync: (key: string) => void) {
    this.name = name;
    this.timers = timers;
    this.sync = sync;
  }

  add(key: string, delayMs = 0): void {
    if (delayMs > 0) {
      this.timers.after(delayMs, () => this.add(key));
      return;
    }
    this.keys.add(key);
    if (this.scheduled) return;
    this.scheduled = true;
    this.timers.after(0, () => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const keys = [...this.keys];
    this.keys.clear();
    for (const key of keys) {
      try {
        this.sync(key);
      } catch (error) {
        // A controller error must not stop the others; real controllers requeue with backoff.
        process.emitWarning(`kube test server ${this.name} failed to sync ${key}: ${(error as Error).stack ?? String(error)}`);
        this.add(key, 100);
      }
    }
  }
}

export function splitKey(key: string): [string, string] {
  const index = key.indexOf('/');
  return [key.slice(0, index), key.slice(index + 1)];
}

export function ownerKey(object: { metadata: { namespace?: string; ownerReferences?: { kind: string; name: string; controller?: boolean }[] } }, kind: string): string | undefined {
  const owner = object.metadata.ownerReferences?.find((reference) => reference.controller && reference.kind === kind);
  return owner ? `${object.metadata.namespace ?? ''}/${owner.name}` : undefined;
}
