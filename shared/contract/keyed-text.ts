import { z } from 'zod';

/**
 * Prose main writes into a reply (a Pending finding, a limitation), as a key of the window's
 * `mainErrors` messages and its parameters, beside the English text it mirrors: the window
 * shows it in its own language, as it does main's error messages (AppError's `text`).
 */
export const keyedTextSchema = z.object({
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /**
   * Parameters that are main's own prose (why a probe failed inside "Auto chose …"): each a list of
   * keyed texts, rendered in the window's language and joined into the parameter of the same name.
   */
  get parts(): z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodArray<typeof keyedTextSchema>>> {
    return z.record(z.string(), z.array(keyedTextSchema)).optional();
  },
});
export type KeyedText = z.infer<typeof keyedTextSchema>;
