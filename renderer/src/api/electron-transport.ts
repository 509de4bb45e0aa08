import type { KiopsBridge, Transport } from '../../../shared/contract/transport.ts';

/** Electron: the preload's narrow bridge, which forwards contract names only. */
export function createElectronTransport(bridge: KiopsBridge): Transport {
  return {
    invoke: (name, payload) => bridge.invoke(name, payload),
    subscribe: (name, payload, sink) => bridge.subscribe(name, payload, (event) => sink.event(event), (end) => sink.end(end)),
  };
}
