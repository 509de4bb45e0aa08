import { shallowRef } from 'vue';
import type { PreviewedChangeInput } from '../../../shared/contract/changes.ts';

/** What the confirmation shows: the action, what it will change, and the text to type. */
export interface ConfirmationRequest {
  /** The contract call (its label comes from i18n `productionConfirm.actions`). */
  readonly call: string;
  /** Field → value of what will change (the call's input without ids and the confirmation). */
  readonly changes: ReadonlyArray<readonly [string, string]>;
  readonly production: boolean;
  /** Production: the service name, or a command exactly as the operator typed it. */
  readonly confirmText: string;
  readonly kind: 'service' | 'command';
  /** Outside production: the service the action changes, named in the plain confirm. */
  readonly target?: string;
  /** The change as `changes.preview` takes it, when it has a preview: the dialog shows its diff. */
  readonly preview?: { readonly serviceId: string; readonly change: PreviewedChangeInput } | null;
}

interface Pending extends ConfirmationRequest {
  resolve(confirmation: string | null): void;
}

// one confirmation at a time for the whole window; ProductionConfirmHost shows it
const pending = shallowRef<Pending>();

/**
 * Asks the operator through the one ProductionConfirm dialog. Resolves with the typed text
 * (production) or '' (a plain confirm outside production); null when cancelled.
 */
export function askConfirmation(request: ConfirmationRequest): Promise<string | null> {
  pending.value?.resolve(null);
  return new Promise((resolve) => {
    pending.value = {
      ...request,
      resolve: (confirmation) => {
        pending.value = undefined;
        resolve(confirmation);
      },
    };
  });
}

export function usePendingConfirmation() {
  return pending;
}

const hiddenFields = new Set(['serviceId', 'confirmation']);

/** The call's input as rows of what will change: ids and the confirmation left out. */
export function changesOf(input: unknown): [string, string][] {
  if (typeof input !== 'object' || input === null) return [];
  return Object.entries(input as Record<string, unknown>)
    .filter(([field, value]) => !hiddenFields.has(field) && value !== undefined)
    .map(([field, value]) => [field, typeof value === 'string' ? value : JSON.stringify(value)]);
}
