import type { Transport } from '../../../shared/contract/transport.ts';
import type { Router, Sender } from './router.ts';

/**
 * A transport that hands calls straight to a router in the same process, with a JSON round
 * trip so tests see exactly what a real wire would carry. Used by tests of the contract.
 */
export function createMemoryTransport(router: Router, sender: Sender): Transport {
  const wire = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  return {
    async invoke(name, payload) {
      return wire(await router.invoke(name, wire(payload), sender));
    },
    subscribe(name, payload, sink) {
      return router.subscribe(name, wire(payload), sender, {
        event: (event) => sink.event(wire(event)),
        end: (end) => sink.end(wire(end)),
      });
    },
  };
}
