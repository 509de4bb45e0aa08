import { lightTheme, type GlobalTheme, type ThemeCommonVars } from 'naive-ui';

/** The tones a status tag and a row action take (naive-ui's type names). */
export const tagTypes = ['info', 'warning', 'error', 'default'] as const;
export const actionTypes = ['default', 'error', 'warning'] as const;

// naive-ui's key for a typed variable: color, colorInfo, textColorError…
const typed = (name: string, type: string): string => (type === 'default' ? name : `${name}${type[0]?.toUpperCase() ?? ''}${type.slice(1)}`);

/** naive-ui's changeColor(colour, { alpha }): the colour with that alpha (#rgb, #rrggbb and rgb() as the themes write them). */
export function atAlpha(colour: string, alpha: string): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour)?.[1];
  const digits = hex?.length === 3 ? [...hex].map((digit) => digit + digit) : hex?.match(/../g);
  const channels = digits?.map((pair) => parseInt(pair, 16)) ?? /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i.exec(colour)?.slice(1, 4).map(Number);
  if (channels === undefined) return `color-mix(in srgb, ${colour} ${Number(alpha) * 100}%, transparent)`;
  return `rgba(${channels.join(', ')}, ${Number(alpha)})`;
}

// a component's theme variables as naive-ui derives them: the global theme's, else the light one's
function selfOf<K extends 'Tag' | 'Button' | 'Typography'>(theme: GlobalTheme | null | undefined, component: K, common: ThemeCommonVars): Record<string, string> {
  const self = (theme?.[component] ?? lightTheme[component]).self ?? lightTheme[component].self;
  if (self === undefined) throw new Error(`naive-ui's ${component} theme has no variables`);
  return self(common) as unknown as Record<string, string>;
}

/**
 * What a Pod List row's status tag and action buttons look like, as CSS custom properties for the
 * table: the values naive-ui's NTag (size small, borderless), NButton (size tiny, secondary; the
 * disabled one plain) and NText (depth 3) compute from the theme, computed once per table instead
 * of once per tag and button of every row that scrolls into view. `common` is the theme's common
 * variables with the app's overrides (useThemeVars); the app overrides no Tag, Button or Text
 * variables, so these are the values those components would use.
 */
export function podRowLook(theme: GlobalTheme | null | undefined, common: ThemeCommonVars): Record<string, string> {
  const tag = selfOf(theme, 'Tag', common);
  const button = selfOf(theme, 'Button', common);
  const text = selfOf(theme, 'Typography', common);
  const look: Record<string, string> = {
    '--pod-bezier': common.cubicBezierEaseInOut,
    '--pod-text-3': text.textColor3Depth ?? common.textColor3,
    '--pod-tag-height': tag.heightSmall ?? '',
    '--pod-tag-padding': tag.padding ?? '',
    '--pod-tag-font-size': tag.fontSizeSmall ?? '',
    '--pod-tag-radius': tag.borderRadius ?? '',
    '--pod-action-height': button.heightTiny ?? '',
    '--pod-action-padding': button.paddingTiny ?? '',
    '--pod-action-font-size': button.fontSizeTiny ?? '',
    '--pod-action-font-weight': button.fontWeight ?? '',
    '--pod-action-radius': button.borderRadiusTiny ?? '',
    '--pod-action-opacity-disabled': button.opacityDisabled ?? '',
    // NButton without `secondary`, disabled: how an action the operator may not run looks
    '--pod-action-disabled-color': button.colorDisabled ?? '',
    '--pod-action-disabled-text': button.textColorDisabled ?? '',
    '--pod-action-disabled-border': button.borderDisabled ?? '',
  };
  for (const type of tagTypes) {
    look[`--pod-tag-${type}-color`] = tag[typed('color', type)] ?? '';
    look[`--pod-tag-${type}-text`] = tag[typed('textColor', type)] ?? '';
  }
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
