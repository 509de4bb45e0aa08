import { AppError, bodyMessageText } from '../errors.ts';
import { envelopeSchema, streamEndSchema, type StreamEnd } from './envelope.ts';
import type { CallInput, CallName, CallOutput, StreamEvent, StreamInput, StreamName } from './index.ts';
import type { Transport } from './transport.ts';

/** A failed call as the renderer sees it: the code decides the affordance, the message is shown. */
export class ApiError extends AppError {
  override name = 'ApiError';
}

export interface StreamHandlers<N extends StreamName> {
  event(event: StreamEvent<N>): void;
  end?(end: StreamEnd): void;
}

export interface KiopsClient {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  subscribe<N extends StreamName>(name: N, input: StreamInput<N>, handlers: StreamHandlers<N>): () => void;
}

const brokenReply = (what: string) =>
  new ApiError('INTERNAL', `The app's main process sent a reply the window could not read (${what}). Reload the window.`);

export function createClient(transport: Transport): KiopsClient {
  return {
    async call(name, input) {
      let reply: unknown;
      try {
        reply = await transport.invoke(name, input);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new ApiError('DISCONNECTED', `Lost the connection to the app's main process: ${message}`);
      }
      const envelope = envelopeSchema.safeParse(reply);
      if (!envelope.success) throw brokenReply(name);
      if (!envelope.data.ok) {
        const { code, message, details } = envelope.data.error;
        throw new ApiError(code, message, details, bodyMessageText(envelope.data.error));
      }
      // main parsed the value with the contract's output schema before sending it
      return envelope.data.value as CallOutput<typeof name>;
    },
    subscribe(name, input, handlers) {
      return transport.subscribe(name, input, {
        event: (payload) => handlers.event(payload as StreamEvent<typeof name>),
        end: (raw) => {
          const end = streamEndSchema.safeParse(raw);
          handlers.end?.(end.success ? end.data : { reason: 'error', error: { code: 'INTERNAL', message: brokenReply(name).message } });
        },
      });
    },
  };
}
