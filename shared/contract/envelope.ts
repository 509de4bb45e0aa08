import { z } from 'zod';
import { errorBodySchema, type ErrorBody } from '../errors.ts';

/** What every call answers across any transport: a value, or a readable error. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };

export const envelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorBodySchema }),
]);

/** How a subscription ends: normally, cancelled by the renderer, or with an error. */
export type StreamEnd = { reason: 'done' } | { reason: 'cancelled' } | { reason: 'error'; error: ErrorBody };

export const streamEndSchema = z.discriminatedUnion('reason', [
  z.object({ reason: z.literal('done') }),
  z.object({ reason: z.literal('cancelled') }),
  z.object({ reason: z.literal('error'), error: errorBodySchema }),
]);
