import { AppError } from '../../../../shared/errors.ts';

/**
 * Thrown inside an audited action in a production environment when the caller has not repeated
 * the action's confirm text: the trail records a refusal (INVALID_INPUT is a refusal code) and
 * the handler turns it into a `needs-confirmation` answer instead of an error.
 */
export class ConfirmationNeeded extends AppError {
  readonly confirmText: string;

  constructor(confirmText: string) {
    super('INVALID_INPUT', `This changes a production environment. To go ahead, confirm by repeating: ${confirmText}`);
    this.confirmText = confirmText;
  }
}

export interface NeedsConfirmation {
  readonly status: 'needs-confirmation';
  readonly confirmText: string;
  readonly message: string;
}

/** Production caution: passes when not production or when `confirmation` repeats `confirmText` exactly. */
export function requireConfirmation(production: boolean, confirmText: string, confirmation: string | undefined): void {
  if (production && confirmation !== confirmText) throw new ConfirmationNeeded(confirmText);
}

/** Runs an action that may stop at the production confirmation, answering that as a result. */
export async function orNeedsConfirmation<T>(action: () => Promise<T>): Promise<T | NeedsConfirmation> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof ConfirmationNeeded) return { status: 'needs-confirmation', confirmText: error.confirmText, message: error.message };
    throw error;
  }
}
