import { kubeDoingPhrases, type DoingKey } from '../../../shared/kube-doing.ts';

/**
 * English of `mainErrors.doing.*`, what the app was doing when a Kubernetes request failed; part of
 * `en-errors.ts`. Main's own phrases (shared/kube-doing.ts), so the English key rendered with its names
 * is exactly what main wrote after "while".
 */
export const enDoing: Record<DoingKey, string> = { ...kubeDoingPhrases };
