import { ApiError } from '../../../shared/contract/client.ts';
import type { ErrorCode } from '../../../shared/errors.ts';

/**
 * A failure as the window shows it. An ApiError's message was written for users by main and
 * is shown as is; anything else is a bug in the window, so it gets a generic text (`message`
 * undefined) and never a stack or internal detail.
 */
export interface Failure {
  code: ErrorCode | 'UNEXPECTED';
  message: string | undefined;
}

export function toFailure(error: unknown): Failure {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  return { code: 'UNEXPECTED', message: undefined };
}
