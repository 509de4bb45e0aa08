import type { enErrorsEnvironments } from './en-errors-environments.ts';

/** Korean of `mainErrors.environments.*`; part of `ko-errors.ts`. */
export const koErrorsEnvironments: typeof enErrorsEnvironments = {};
