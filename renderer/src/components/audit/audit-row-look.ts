import type { GlobalTheme, ThemeCommonVars } from 'naive-ui';
import { naiveSelf, smallTagLook, tableLook } from '../common/naive-look.ts';

/** The tones an outcome tag takes (outcome.ts): started info, success, failure error, refused warning. */
export const outcomeTagTypes = ['info', 'success', 'error', 'warning'] as const;

/**
 * What an Audit Log row looks like, as CSS custom properties for the table: naive-ui's NDataTable
 * (size small), NTag (size small, borderless) for the outcome and NText (type error) for the error
 * and the keyboard focus, computed from the theme once per table instead of once per cell of
 * every row that scrolls into view.
 */
export function auditRowLook(theme: GlobalTheme | null | undefined, common: ThemeCommonVars): Record<string, string> {
  const tag = naiveSelf(theme, 'Tag', common);
  const text = naiveSelf(theme, 'Typography', common);
  return {
    ...tableLook(theme, common),
    ...smallTagLook(tag, outcomeTagTypes, common.cubicBezierEaseInOut),
    '--audit-text-error': text.textColorError ?? common.errorColor,
    // a row reached by the keyboard: the primary colour naive-ui's inputs take when focused
    '--audit-focus': common.primaryColor,
  };
}
