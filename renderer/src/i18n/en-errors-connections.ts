/**
 * English of the messages main's connections code sends as keys (`mainErrors.connections.*`); part of
 * `en-errors.ts`. Each mirrors main's English text with its parameters as `{name}`.
 */
export const enErrorsConnections = {};
