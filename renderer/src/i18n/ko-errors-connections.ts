import type { enErrorsConnections } from './en-errors-connections.ts';

/** Korean of `mainErrors.connections.*`; part of `ko-errors.ts`. */
export const koErrorsConnections: typeof enErrorsConnections = {};
