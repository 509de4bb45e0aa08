import type { enErrorsOperations } from './en-errors-operations.ts';

/** Korean of `mainErrors.operations.*`; part of `ko-errors.ts`. */
export const koErrorsOperations: typeof enErrorsOperations = {};
