/**
 * English of the messages main's environments code sends as keys (`mainErrors.environments.*`); part of
 * `en-errors.ts`. Each mirrors main's English text with its parameters as `{name}`.
 */
export const enErrorsEnvironments = {};
