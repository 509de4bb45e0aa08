import type { GlobalTheme, ThemeCommonVars } from 'naive-ui';
import { naiveSelf, rowActionLook, smallTagLook } from '../common/naive-look.ts';

/** The tones a status tag takes (naive-ui's type names). */
export const tagTypes = ['info', 'warning', 'error', 'default'] as const;

/**
 * What a Pod List row's status tag and action buttons look like, as CSS custom properties for the
 * table: the values naive-ui's NTag (size small, borderless), NButton (rowActionLook) and NText
 * (depth 3) compute from the theme, computed once per table instead of once per tag and button of
 * every row that scrolls into view. `common` is the theme's common variables with the app's
 * overrides (useThemeVars); the app overrides no Tag, Button or Text variables, so these are the
 * values those components would use.
 */
export function podRowLook(theme: GlobalTheme | null | undefined, common: ThemeCommonVars): Record<string, string> {
  const tag = naiveSelf(theme, 'Tag', common);
  return {
    '--pod-bezier': common.cubicBezierEaseInOut,
    ...smallTagLook(tag, tagTypes, common.cubicBezierEaseInOut),
    ...rowActionLook(theme, common),
  };
}
