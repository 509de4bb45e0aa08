import type { MessageText } from '../../../shared/errors.ts';
import { mainErrorText, type Translator } from './main-error-text.ts';

/**
 * Lines of prose main put in a reply (limitations, places it looked), in the window's language:
 * each line with a key renders it, as main's error messages do; a line without one stays as main wrote it.
 */
export function mainLines(lines: readonly string[], texts: readonly (MessageText | null | undefined)[] | undefined, translator: Translator): string[] {
  return lines.map((line, index) => mainLine(line, texts?.[index], translator));
}

export function mainLine(line: string, text: MessageText | null | undefined, translator: Translator): string {
  return text ? mainErrorText({ message: line, text }, translator) : line;
}
