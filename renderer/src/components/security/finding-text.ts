import type { SecurityFinding } from '../../../../shared/contract/security.ts';
import { mainErrorText, type Translator } from '../../i18n/main-error-text.ts';

export type FindingField = 'title' | 'evidence' | 'remediation';

/**
 * A finding's title, evidence or remediation in the window's language: main sends each as a key
 * with parameters beside its English. English windows, and findings saved before main sent keys,
 * show main's English.
 */
export function findingText(finding: SecurityFinding, field: FindingField, translator: Translator): string {
  return mainErrorText({ message: finding[field], text: finding.texts?.[field] }, translator);
}
