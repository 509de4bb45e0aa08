import type { z } from 'zod';
import { wellFormedInput } from './text.ts';

/** A request/response call: one zod schema for what the renderer sends, one for what main answers. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: 'call';
  readonly input: I;
  readonly output: O;
}

/** An event stream: the renderer subscribes with an input, main pushes events until it ends or is cancelled. */
export interface StreamSpec<I extends z.ZodType = z.ZodType, E extends z.ZodType = z.ZodType> {
  readonly kind: 'stream';
  readonly input: I;
  readonly event: E;
}

export type EntrySpec = CallSpec | StreamSpec;

export function call<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): CallSpec<I, O> {
  // every string a request carries must be well-formed UTF-16, whatever the schema says
  return { kind: 'call', input: wellFormedInput(input), output };
}

export function stream<I extends z.ZodType, E extends z.ZodType>(input: I, event: E): StreamSpec<I, E> {
  return { kind: 'stream', input: wellFormedInput(input), event };
}
