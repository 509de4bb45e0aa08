/** A small typed event source: listeners get every value; `on` returns the way to stop listening. */
export class StateEmitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  on(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        // One faulty listener must not stop the others or the tunnel that emits.
      }
    }
  }
}
