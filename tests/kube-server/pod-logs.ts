// Container output kept by the kubelet stand-in: the current instance's lines and the
// previous instance's (what `kubectl logs --previous` shows after a restart).

import { EventEmitter } from 'node:events';

export interface LogLine {
  /** RFC 3339 with nanoseconds, as `kubectl logs --timestamps` prints it. */
  time: string;
  text: string;
}

interface ContainerLogs {
  current: LogLine[];
  previous: LogLine[] | undefined;
}

function nanoTimestamp(date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, (_match, millis: string) => `.${millis}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}Z`);
}

export class PodLogStore {
  private readonly containers = new Map<string, ContainerLogs>();
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  private key(podUid: string, container: string): string {
    return `${podUid}/${container}`;
  }

  append(podUid: string, container: string, text: string): void {
    const key = this.key(podUid, container);
    let logs = this.containers.get(key);
    if (!logs) {
      logs = { current: [], previous: undefined };
      this.containers.set(key, logs);
    }
    for (const line of text.split('\n')) {
      const entry = { time: nanoTimestamp(), text: line };
      logs.current.push(entry);
      this.emitter.emit(key, entry);
    }
  }

  /** A new container instance starts: its predecessor's output becomes "previous". */
  restart(podUid: string, container: string): void {
    const key = this.key(podUid, container);
    const logs = this.containers.get(key);
    if (logs) this.containers.set(key, { current: [], previous: logs.current });
  }

  lines(podUid: string, container: string, previous: boolean): LogLine[] | undefined {
    const logs = this.containers.get(this.key(podUid, container));
    return previous ? logs?.previous : (logs?.current ?? []);
  }

  follow(podUid: string, container: string, listener: (line: LogLine) => void): () => void {
    const key = this.key(podUid, container);
    this.emitter.on(key, listener);
    return () => this.emitter.off(key, listener);
  }

  forget(podUid: string): void {
    for (const key of this.containers.keys()) if (key.startsWith(`${podUid}/`)) this.containers.delete(key);
  }
}
