import type { GlobalTheme, ThemeCommonVars } from 'naive-ui';
import { atAlpha, naiveSelf, smallButtonLook, smallTagLook, typed } from '../common/naive-look.ts';

/** The tones a status tag and a row action take (naive-ui's type names). */
export const tagTypes = ['info', 'warning', 'error', 'default'] as const;
export const actionTypes = ['default', 'error', 'warning'] as const;

/**
 * What a Pod List row's status tag and action buttons look like, as CSS custom properties for the
 * table: the values naive-ui's NTag (size small, borderless), NButton (size tiny, secondary; the
 * disabled one plain) and NText (depth 3) compute from the theme, computed once per table instead
 * of once per tag and button of every row that scrolls into view. `common` is the theme's common
 * variables with the app's overrides (useThemeVars); the app overrides no Tag, Button or Text
 * variables, so these are the values those components would use.
 */
export function podRowLook(theme: GlobalTheme | null | undefined, common: ThemeCommonVars): Record<string, string> {
  const tag = naiveSelf(theme, 'Tag', common);
  const button = naiveSelf(theme, 'Button', common);
  const text = naiveSelf(theme, 'Typography', common);
  const look: Record<string, string> = {
    '--pod-bezier': common.cubicBezierEaseInOut,
    '--pod-text-3': text.textColor3Depth ?? common.textColor3,
    ...smallTagLook(tag, tagTypes, common.cubicBezierEaseInOut),
    ...smallButtonLook(button, 'Tiny', common),
    '--pod-action-opacity-disabled': button.opacityDisabled ?? '',
    // NButton without `secondary`, disabled: how an action the operator may not run looks
    '--pod-action-disabled-color': button.colorDisabled ?? '',
    '--pod-action-disabled-text': button.textColorDisabled ?? '',
    '--pod-action-disabled-border': button.borderDisabled ?? '',
  };
  // NButton `secondary`: the type's colour as text on a faint wash of it; the default type greys
  for (const type of actionTypes) {
    const colour = type === 'default' ? (button.textColor ?? '') : (button[typed('color', type)] ?? '');
    const wash = (alpha: string | undefined, grey: string | undefined): string => (type === 'default' ? (grey ?? '') : atAlpha(colour, alpha ?? '1'));
    look[`--pod-action-${type}-text`] = colour;
    look[`--pod-action-${type}-color`] = wash(button.colorOpacitySecondary, button.colorSecondary);
    look[`--pod-action-${type}-hover`] = wash(button.colorOpacitySecondaryHover, button.colorSecondaryHover);
    look[`--pod-action-${type}-pressed`] = wash(button.colorOpacitySecondaryPressed, button.colorSecondaryPressed);
  }
  return look;
}
