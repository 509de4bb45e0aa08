import { subjectPhrases } from '../../../shared/message-params.ts';

/**
 * English of `mainErrors.label.*` and `mainErrors.where.*`, the phrases main names a message's subject
 * with (`environment "prod"`, `The socket /run/docker.sock`); part of `en-errors.ts`. Main's own
 * (shared/message-params.ts), so the English key rendered with its names is what main wrote.
 */
export const enSubjects: { readonly [Slot in keyof typeof subjectPhrases]: Record<keyof (typeof subjectPhrases)[Slot], string> } = subjectPhrases;
