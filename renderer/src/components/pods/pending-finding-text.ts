import type { PendingAnalysisView } from '../../../../shared/contract/pods.ts';
import { mainErrorText, type Translator } from '../../i18n/main-error-text.ts';
import { mainLines } from '../../i18n/main-lines.ts';

type Finding = PendingAnalysisView['findings'][number];

/** A Pending finding as the row shows it. */
export interface FindingShown {
  readonly title: string;
  readonly evidence: readonly string[];
  readonly suggestion: string;
}

/**
 * A finding in the window's language. English windows, and findings main sent without keys,
 * show main's own English; evidence lines that are the cluster's own words stay as they are.
 * A suggestion any of whose sentences the window does not know stays English as a whole.
 */
export function findingShown(finding: Finding, translator: Translator): FindingShown {
  const text = finding.text;
  if (text === undefined || translator.locale === 'en') return { title: finding.title, evidence: finding.evidence, suggestion: finding.suggestion };
  const sentences = text.suggestion.every((sentence) => translator.has(`mainErrors.${sentence.key}`));
  return {
    title: mainErrorText({ message: finding.title, text: text.title }, translator),
    evidence: mainLines(finding.evidence, text.evidence, translator),
    suggestion: sentences ? text.suggestion.map((sentence) => mainErrorText({ message: '', text: sentence }, translator)).join(' ') : finding.suggestion,
  };
}
