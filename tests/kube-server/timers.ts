// Every timer the server's controllers start goes through here, so close() can stop them all
// and no test leaks a pending callback.

export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();
  private closed = false;

  after(ms: number, callback: () => void): NodeJS.Timeout | undefined {
    if (this.closed) return undefined;
    const handle = setTimeout(() => {
      this.pending.delete(handle);
      if (!this.closed) callback();
    }, ms);
    this.pending.add(handle);
    return handle;
  }

  every(ms: number, callback: () => void): NodeJS.Timeout | undefined {
    if (this.closed) return undefined;
    const handle = setInterval(() => {
      if (!this.closed) callback();
    }, ms);
    this.pending.add(handle);
    return handle;
  }

  cancel(handle: NodeJS.Timeout | undefined): void {
    if (!handle) return;
    clearTimeout(handle);
    this.pending.delete(handle);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.closed = true;
    for (const handle of this.pending) clearTimeout(handle);
    this.pending.clear();
  }
}
