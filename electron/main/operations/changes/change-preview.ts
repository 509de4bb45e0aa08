import { isAppError } from '../../../../shared/errors.ts';
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
  readonly plans: readonly RecreatePlan[];
}

/**
 * Runs a server-side dry run (`dryRun=All`) and diffs the object before against the object the
 * server answered with. Refusals the app or the API server would give (AppErrors) become the
 * preview's errors; anything unexpected is thrown.
 */
export async function dryRunPreview<T>(target: string, before: () => Promise<T>, dryRun: (current: T) => Promise<unknown>, options: { secret?: boolean } = {}): Promise<ChangePreview> {
  const current = await before();
  const snapshot: unknown = structuredClone(current);
  try {
    const after = await dryRun(current);
    const lines = diffObjects(snapshot, after, options);
    return { target, method: 'server-dry-run', lines, summary: diffSummary(lines), errors: [], plans: [] };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { target, method: 'server-dry-run', lines: [], summary: 'refused', errors: [error.message], plans: [] };
  }
}
