/**
 * English of the messages main's operations code sends as keys (`mainErrors.operations.*`); part of
 * `en-errors.ts`. Each mirrors main's English text with its parameters as `{name}`.
 */
export const enErrorsOperations = {};
