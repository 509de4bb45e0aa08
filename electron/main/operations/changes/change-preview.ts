import { isAppError, type MessageText } from '../../../../shared/errors.ts';
import { diffObjects, diffSummary, type ChangeLine } from './object-diff.ts';

/** Docker/Podman: what a recreate will do to the container. */
export interface RecreatePlan {
  readonly container: string;
  readonly imageFrom: string;
  readonly imageIdFrom: string;
  readonly imageTo: string;
  /** Null when the image is not on the engine yet (it will be pulled). */
  readonly imageIdTo: string | null;
  /** Settings the new container takes over from the old one. */
  readonly carriedOver: readonly string[];
}

/** What the confirmation shows before a change, and what its audit row records. */
export interface ChangePreview {
  readonly target: string;
  readonly method: 'server-dry-run' | 'recreate-plan';
  readonly lines: readonly ChangeLine[];
  readonly summary: string;
  /** Validation, admission or authorization errors: the change would be refused as it is. */
  readonly errors: readonly string[];
  /** `errors` as keys for the window's language, line for line (null where main wrote no key). */
  readonly errorTexts?: readonly (MessageText | null)[];
  readonly plans: readonly RecreatePlan[];
}

/**
 * A server-side preview from what the object is now and what the dry run answered. Refusals the
 * app or the API server would give (AppErrors) become the preview's errors; anything unexpected
 * is thrown.
 */
export async function previewOf(target: string, run: () => Promise<{ before: unknown; after: unknown }>, options: { secret?: boolean } = {}): Promise<ChangePreview> {
  try {
    const { before, after } = await run();
    const lines = diffObjects(before, after, options);
    return { target, method: 'server-dry-run', lines, summary: diffSummary(lines), errors: [], plans: [] };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { target, method: 'server-dry-run', lines: [], summary: 'refused', errors: [error.message], errorTexts: [error.text ?? null], plans: [] };
  }
}

/** Reads the object, lets `dryRun` change and send it with dryRun=All, and diffs the two. */
export function dryRunPreview<T>(target: string, read: () => Promise<T>, dryRun: (current: T) => Promise<unknown>, options: { secret?: boolean } = {}): Promise<ChangePreview> {
  return previewOf(
    target,
    async () => {
      const current = await read();
      const before: unknown = structuredClone(current);
      return { before, after: await dryRun(current) };
    },
    options,
  );
}
