// The cluster state: one in-memory collection per resource type, a global resourceVersion
// counter (like etcd's revision) and a bounded change history that watches resume from.
// Stored objects are never mutated in place: writers hand over a fresh object, readers that
// want to change one use `mutate`, which clones. That keeps list serialisation copy-free.

import { randomUUID } from 'node:crypto';
import { deepClone, sameJson, type KubeObject } from './model/types.ts';
import { timestamp } from './model/time.ts';
import { conflict, gone, notFound, alreadyExists } from './api/status.ts';
import { typeByKey } from './api/resources.ts';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreChange {
  type: ChangeType;
  typeKey: string;
  object: KubeObject;
  resourceVersion: number;
}

type Listener = (change: StoreChange) => void;

/** Names of the objects in one namespace with a controller ownerReference to one owner uid. */
interface Controlled {
  readonly names: Set<string>;
  sorted: string[] | null;
}

/** The keys of `controlled` an object belongs to: one per controller ownerReference (namespace NUL owner uid). */
function controllerKeys(namespace: string, object: KubeObject): string[] {
  const references = object.metadata.ownerReferences;
  if (!references) return [];
  const keys: string[] = [];
  for (const reference of references) if (reference.controller) keys.push(`${namespace}\0${reference.uid}`);
  return keys;
}

class Collection {
  readonly byNamespace = new Map<string, Map<string, KubeObject>>();
  private sortedNamespaces: string[] | null = null;
  private readonly sortedNames = new Map<string, string[]>();
  /**
   * Objects by controller: a controller (the ReplicaSet of its pods) reads its objects on every
   * sync, and scanning a namespace of 5,000 pods for them each time was most of a burst's cost.
   */
  private readonly controlled = new Map<string, Controlled>();
  /** The `controlled` keys each object (namespace NUL name) is in now. */
  private readonly controllerKeysOf = new Map<string, string[]>();
  size = 0;

  get(namespace: string, name: string): KubeObject | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  set(namespace: string, name: string, object: KubeObject): void {
    let names = this.byNamespace.get(namespace);
    if (!names) {
      names = new Map();
      this.byNamespace.set(namespace, names);
      this.sortedNamespaces = null;
    }
    const before = names.get(name);
    if (before === undefined) {
      this.sortedNames.delete(namespace);
      this.size++;
    }
    names.set(name, object);
    this.recontrol(namespace, name, controllerKeys(namespace, object));
  }

  delete(namespace: string, name: string): void {
    const names = this.byNamespace.get(namespace);
    if (names?.delete(name)) {
      this.size--;
      this.sortedNames.delete(namespace);
      this.recontrol(namespace, name, []);
    }
  }

  /** Moves an object between controllers' sets when its controller references changed. */
  private recontrol(namespace: string, name: string, now: string[]): void {
    const at = `${namespace}\0${name}`;
    const was = this.controllerKeysOf.get(at) ?? [];
    if (now.length === 0) this.controllerKeysOf.delete(at);
    else this.controllerKeysOf.set(at, now);
    for (const key of was) {
      if (now.includes(key)) continue;
      const controlled = this.controlled.get(key);
      if (!controlled?.names.delete(name)) continue;
      controlled.sorted = null;
      if (controlled.names.size === 0) this.controlled.delete(key);
    }
    for (const key of now) {
      if (was.includes(key)) continue;
      let controlled = this.controlled.get(key);
      if (!controlled) {
        controlled = { names: new Set(), sorted: null };
        this.controlled.set(key, controlled);
      }
      controlled.names.add(name);
      controlled.sorted = null;
    }
  }

  /** Names in one namespace controlled by `ownerUid`, in key order. */
  controlledNames(namespace: string, ownerUid: string): string[] {
    const controlled = this.controlled.get(`${namespace}\0${ownerUid}`);
    if (!controlled) return [];
    controlled.sorted ??= [...controlled.names].sort();
    return controlled.sorted;
  }

  namespaces(): string[] {
    this.sortedNamespaces ??= [...this.byNamespace.keys()].sort();
    return this.sortedNamespaces;
  }

  /** Names in one namespace in key order, the order etcd (and so the apiserver) lists them. */
  names(namespace: string): string[] {
    let names = this.sortedNames.get(namespace);
    if (!names) {
      names = [...(this.byNamespace.get(namespace)?.keys() ?? [])].sort();
      this.sortedNames.set(namespace, names);
    }
    return names;
  }
}

export interface StoreOptions {
  /** How many changes watches can resume from before they get 410 Gone. */
  historyLimit?: number;
}

export class ObjectStore {
  private revision = 1000;
  private readonly collections = new Map<string, Collection>();
  private history: StoreChange[] = [];
  private compactedRevision = 1000;
  private readonly historyLimit: number;
  private readonly listeners = new Set<Listener>();

  constructor(options: StoreOptions = {}) {
    this.historyLimit = options.historyLimit ?? 50_000;
  }

  get resourceVersion(): number {
    return this.revision;
  }

  /** The oldest resourceVersion a watch can still start from. */
  get oldestWatchableVersion(): number {
    return this.compactedRevision;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private collection(typeKey: string): Collection {
    let collection = this.collections.get(typeKey);
    if (!collection) {
      collection = new Collection();
      this.collections.set(typeKey, collection);
    }
    return collection;
  }

  get<T extends KubeObject = KubeObject>(typeKey: string, namespace: string, name: string): T | undefined {
    return this.collection(typeKey).get(namespace, name) as T | undefined;
  }

  require<T extends KubeObject = KubeObject>(typeKey: string, namespace: string, name: string): T {
    const object = this.get<T>(typeKey, namespace, name);
    if (!object) {
      const type = typeByKey(typeKey);
      throw notFound(type.group, type.plural, name);
    }
    return object;
  }

  count(typeKey: string, namespace?: string): number {
    const collection = this.collection(typeKey);
    return namespace === undefined ? collection.size : (collection.byNamespace.get(namespace)?.size ?? 0);
  }

  /** Objects in key order. The returned objects are shared: do not change them. */
  list<T extends KubeObject = KubeObject>(typeKey: string, namespace?: string): T[] {
    const collection = this.collection(typeKey);
    const namespaces = namespace === undefined ? collection.namespaces() : [namespace];
    const result: T[] = [];
    for (const ns of namespaces) {
      const names = collection.byNamespace.get(ns);
      if (!names) continue;
      for (const name of collection.names(ns)) {
        const object = names.get(name);
        if (object) result.push(object as T);
      }
    }
    return result;
  }

  /**
   * Objects in one namespace with a controller ownerReference (controller: true) to `ownerUid`,
   * in key order, as list(typeKey, namespace) filtered by that reference would give them, without
   * reading the rest of the namespace. Shared objects: do not change them.
   */
  controlledBy<T extends KubeObject = KubeObject>(typeKey: string, namespace: string, ownerUid: string): T[] {
    const collection = this.collection(typeKey);
    const names = collection.byNamespace.get(namespace);
    if (!names) return [];
    const result: T[] = [];
    for (const name of collection.controlledNames(namespace, ownerUid)) {
      const object = names.get(name);
      if (object) result.push(object as T);
    }
    return result;
  }

  create<T extends KubeObject>(typeKey: string, object: T): T {
    const meta = object.metadata;
    const namespace = meta.namespace ?? '';
    const name = meta.name ?? '';
    const collection = this.collection(typeKey);
    if (collection.get(namespace, name)) {
      const type = typeByKey(typeKey);
      throw alreadyExists(type.group, type.plural, name);
    }
    meta.uid ??= randomUUID();
    meta.creationTimestamp ??= timestamp();
    if ('spec' in object) meta.generation = 1;
    meta.resourceVersion = String(++this.revision);
    collection.set(namespace, name, object);
    this.record('ADDED', typeKey, object);
    return object;
  }

  /**
   * Replace an object. With `expectedVersion` set (as clients do by sending metadata.resourceVersion),
   * a stale write fails with 409 Conflict. Spec changes bump metadata.generation.
   */
  update<T extends KubeObject>(typeKey: string, object: T, options: { expectedVersion?: string } = {}): T {
    const meta = object.metadata;
    const namespace = meta.namespace ?? '';
    const name = meta.name ?? '';
    const collection = this.collection(typeKey);
    const current = collection.get(namespace, name);
    const type = typeByKey(typeKey);
    if (!current) throw notFound(type.group, type.plural, name);
    if (options.expectedVersion && options.expectedVersion !== current.metadata.resourceVersion) throw conflict(type.group, type.plural, name);
    meta.uid = current.metadata.uid;
    meta.creationTimestamp = current.metadata.creationTimestamp;
    if ('spec' in object) {
      const generation = current.metadata.generation ?? 1;
      meta.generation = sameJson(object.spec, current.spec) ? generation : generation + 1;
    }
    if (sameJson(object, { ...current, metadata: { ...current.metadata, resourceVersion: meta.resourceVersion } })) {
      return current as T;
    }
    meta.resourceVersion = String(++this.revision);
    collection.set(namespace, name, object);
    this.record('MODIFIED', typeKey, object);
    return object;
  }

  /** Clone, change and write back an object; returns undefined when it no longer exists. */
  mutate<T extends KubeObject>(typeKey: string, namespace: string, name: string, change: (object: T) => void): T | undefined {
    const current = this.get<T>(typeKey, namespace, name);
    if (!current) return undefined;
    const copy = deepClone(current);
    change(copy);
    return this.update(typeKey, copy);
  }

  remove(typeKey: string, namespace: string, name: string): KubeObject | undefined {
    const collection = this.collection(typeKey);
    const current = collection.get(namespace, name);
    if (!current) return undefined;
    collection.delete(namespace, name);
    const removed = { ...current, metadata: { ...current.metadata, resourceVersion: String(++this.revision) } };
    this.record('DELETED', typeKey, removed);
    return removed;
  }

  /** Changes after `resourceVersion` for one type, or 410 Gone when history no longer reaches back. */
  changesSince(typeKey: string, resourceVersion: number): StoreChange[] {
    if (resourceVersion < this.compactedRevision) {
      throw gone(`too old resource version: ${resourceVersion} (${this.compactedRevision})`);
    }
    const result: StoreChange[] = [];
    for (const change of this.history) {
      if (change.resourceVersion > resourceVersion && change.typeKey === typeKey) result.push(change);
    }
    return result;
  }

  /** Drop history up to now, as etcd compaction does: older watches then get 410 Gone. */
  compact(): void {
    this.history = [];
    this.compactedRevision = this.revision;
  }

  private record(type: ChangeType, typeKey: string, object: KubeObject): void {
    const change: StoreChange = { type, typeKey, object, resourceVersion: this.revision };
    this.history.push(change);
    if (this.history.length > this.historyLimit * 1.25) {
      const dropped = this.history.length - this.historyLimit;
      this.compactedRevision = this.history[dropped - 1]?.resourceVersion ?? this.compactedRevision;
      this.history = this.history.slice(dropped);
    }
    for (const listener of this.listeners) listener(change);
  }
}
