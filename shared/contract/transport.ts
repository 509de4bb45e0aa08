/**
 * The renderer's view of a connection to main. Two implementations exist: the Electron
 * preload bridge and the browser-mode WebSocket. Both carry untyped payloads; types come
 * from the contract in the client, validation happens in main.
 */
export interface StreamSink {
  event(payload: unknown): void;
  end(end: unknown): void;
}

export interface Transport {
  invoke(name: string, payload: unknown): Promise<unknown>;
  /** Starts a subscription; the returned function cancels it. */
  subscribe(name: string, payload: unknown, sink: StreamSink): () => void;
}

/** Wire messages of the browser-mode WebSocket (the Electron bridge uses IPC channels instead). */
export type ClientMessage =
  | { t: 'call'; id: number; name: string; payload: unknown }
  | { t: 'sub'; id: number; name: string; payload: unknown }
  | { t: 'cancel'; id: number };

export type ServerMessage =
  | { t: 'result'; id: number; envelope: unknown }
  | { t: 'event'; id: number; payload: unknown }
  | { t: 'end'; id: number; end: unknown };

/** The bridge the Electron preload exposes on `window.kiops`. */
export interface KiopsBridge {
  invoke(name: string, payload: unknown): Promise<unknown>;
  subscribe(name: string, payload: unknown, onEvent: (payload: unknown) => void, onEnd: (end: unknown) => void): () => void;
}
