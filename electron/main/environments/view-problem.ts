import { AppError, type MessageText } from '../../../shared/errors.ts';

/**
 * Why a row of a view (a kubeconfig context, an engine socket, a Docker context) cannot be used:
 * an AppError's message and key, or the fallback for anything else; the window shows the key in
 * its language and `problem` in English.
 */
export function problemOf(error: unknown, fallback: string, fallbackText: MessageText): { problem: string; problemText?: MessageText } {
  if (error instanceof AppError) return { problem: error.message, ...(error.text === undefined ? {} : { problemText: error.text }) };
  return { problem: fallback, problemText: fallbackText };
}
