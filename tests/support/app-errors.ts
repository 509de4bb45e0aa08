// The AppError a call under test throws: for main's tests and the window's message tests alike.
import { AppError } from '../../shared/errors.ts';

function appErrorOrRethrow(error: unknown): AppError {
  if (error instanceof AppError) return error;
  throw error;
}

/** The AppError a synchronous action throws; anything else (or nothing) fails the test. */
export function appErrorThrownBy(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    return appErrorOrRethrow(error);
  }
  throw new Error('expected an AppError');
}

/** The AppError an action throws, or (for an async action) rejects with; anything else fails the test. */
export async function appErrorOf(action: () => unknown): Promise<AppError> {
  try {
    await action();
  } catch (error) {
    return appErrorOrRethrow(error);
  }
  throw new Error('expected an AppError');
}
