import { previewedChangeSchema, type PreviewedChange } from '../../../shared/contract/changes.ts';

// Fields of a mutation's input that say how or for whom it runs, not what it changes.
const notTheChange = new Set(['serviceId', 'confirmation', 'stopTimeoutSeconds']);

/**
 * The preview of a guarded call, when `changes.preview` has one: the call's name is the preview's
 * action and its input, minus the service id, the confirmation and how it runs, is the change.
 * Null for calls without a preview (or inputs it would not accept), so the dialog shows no diff.
 */
export function previewedCall(name: string, input: unknown): { serviceId: string; change: PreviewedChange } | null {
  if (typeof input !== 'object' || input === null) return null;
  const fields = input as Record<string, unknown>;
  if (typeof fields.serviceId !== 'string') return null;
  const change = Object.fromEntries(Object.entries(fields).filter(([field, value]) => !notTheChange.has(field) && value !== undefined));
  const parsed = previewedChangeSchema.safeParse({ ...change, action: name });
  return parsed.success ? { serviceId: fields.serviceId, change: parsed.data } : null;
}
