import { lightTheme, type GlobalTheme, type ThemeCommonVars } from 'naive-ui';
import './small-button.css';
import './small-tag.css';
import './row-actions.css';

/**
 * Reading naive-ui's own theme values for table rows drawn as plain elements (Pod List, Service
 * Management): a virtual-scrolled row mounts a dozen cells, and an NTag or NButton per cell costs
 * far more than a span or button styled by CSS custom properties computed once per table.
 */

/** naive-ui's key for a typed variable: color, colorInfo, textColorError… */
export const typed = (name: string, type: string): string => (type === 'default' ? name : `${name}${type[0]?.toUpperCase() ?? ''}${type.slice(1)}`);

/** naive-ui's changeColor(colour, { alpha }): the colour with that alpha (#rgb, #rrggbb and rgb() as the themes write them). */
export function atAlpha(colour: string, alpha: string): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour)?.[1];
  const digits = hex?.length === 3 ? [...hex].map((digit) => digit + digit) : hex?.match(/../g);
  const channels = digits?.map((pair) => parseInt(pair, 16)) ?? /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i.exec(colour)?.slice(1, 4).map(Number);
  if (channels === undefined) return `color-mix(in srgb, ${colour} ${Number(alpha) * 100}%, transparent)`;
  return `rgba(${channels.join(', ')}, ${Number(alpha)})`;
}

/**
 * A component's theme variables as naive-ui derives them: the global theme's, else the light one's.
 * `common` is the theme's common variables with the app's overrides (useThemeVars); the app
 * overrides no Tag, Button or Text variables, so these are the values those components use.
 */
export function naiveSelf<K extends 'Tag' | 'Button' | 'Typography' | 'DataTable'>(theme: GlobalTheme | null | undefined, component: K, common: ThemeCommonVars): Record<string, string> {
  const self = (theme?.[component] ?? lightTheme[component]).self ?? lightTheme[component].self;
  if (self === undefined) throw new Error(`naive-ui's ${component} theme has no variables`);
  return self(common) as unknown as Record<string, string>;
}

/**
 * What naive-ui's NTag at size small, borderless, looks like in each of `types`, as the CSS custom
 * properties small-tag.css draws `.small-tag` with: `--small-tag-height`, `…-padding`,
 * `…-font-size`, `…-radius`, `…-bezier` and `--small-tag-{type}-color` / `…-text`.
 */
export function smallTagLook(tag: Record<string, string>, types: readonly string[], bezier: string): Record<string, string> {
  const look: Record<string, string> = {
    '--small-tag-height': tag.heightSmall ?? '',
    '--small-tag-padding': tag.padding ?? '',
    '--small-tag-font-size': tag.fontSizeSmall ?? '',
    '--small-tag-radius': tag.borderRadius ?? '',
    '--small-tag-bezier': bezier,
  };
  for (const type of types) {
    look[`--small-tag-${type}-color`] = tag[typed('color', type)] ?? '';
    look[`--small-tag-${type}-text`] = tag[typed('textColor', type)] ?? '';
  }
  return look;
}

/**
 * What naive-ui's NButton at `size` (Tiny, Small…) looks like, as the CSS custom properties
 * small-button.css draws `.small-button` with: `--small-button-height`, `…-padding`,
 * `…-font-size`, `…-font-weight`, `…-radius`, `…-bezier`, and the focus ring naive-ui's inputs
 * draw (`--small-button-focus-ring`), so a keyboard user sees which button is next.
 */
export function smallButtonLook(button: Record<string, string>, size: 'Tiny' | 'Small', common: ThemeCommonVars): Record<string, string> {
  return {
    '--small-button-height': button[`height${size}`] ?? '',
    '--small-button-padding': button[`padding${size}`] ?? '',
    '--small-button-font-size': button[`fontSize${size}`] ?? '',
    '--small-button-font-weight': button.fontWeight ?? '',
    '--small-button-radius': button[`borderRadius${size}`] ?? '',
    '--small-button-bezier': common.cubicBezierEaseInOut,
    '--small-button-focus-ring': `0 0 0 2px ${atAlpha(common.primaryColor, '0.2')}`,
  };
}

/**
 * What naive-ui's NDataTable at size small looks like, as the CSS custom properties
 * virtual-table.css draws a VirtualTable with (`--table-…`): header and cell colours, padding and
 * border, the hovered row, a muted cell text (NText depth 3), the empty text and the loading spinner.
 */
export function tableLook(theme: GlobalTheme | null | undefined, common: ThemeCommonVars): Record<string, string> {
  const table = naiveSelf(theme, 'DataTable', common);
  const text = naiveSelf(theme, 'Typography', common);
  return {
    '--table-bezier': common.cubicBezierEaseInOut,
    '--table-font-size': table.fontSizeSmall ?? '',
    '--table-line-height': table.lineHeight ?? '',
    '--table-radius': table.borderRadius ?? '',
    '--table-border': table.borderColor ?? '',
    '--table-th-color': table.thColor ?? '',
    '--table-th-text': table.thTextColor ?? '',
    '--table-th-font-weight': table.thFontWeight ?? '',
    '--table-th-padding': table.thPaddingSmall ?? '',
    '--table-td-color': table.tdColor ?? '',
    '--table-td-text': table.tdTextColor ?? '',
    '--table-td-hover': table.tdColorHover ?? '',
    '--table-td-padding': table.tdPaddingSmall ?? '',
    '--table-text-3': text.textColor3Depth ?? common.textColor3,
    '--table-empty-padding': table.emptyPadding ?? '',
    '--table-empty-text': common.textColor3,
    '--table-loading-color': table.loadingColor ?? '',
    '--table-loading-size': table.loadingSize ?? '',
    '--table-loading-opacity': table.opacityLoading ?? '',
  };
}

/** The kinds a row action takes (naive-ui's button types). */
export const rowActionTypes = ['default', 'error', 'warning'] as const;

/**
 * What a table row's actions look like (row-actions.css: `.actions` holding `.small-button.action`,
 * `action--error`, `action--warning`), as CSS custom properties: naive-ui's NButton at size tiny,
 * `secondary` (the type's colour as text on a faint wash of it; the default type greys), and the
 * disabled one without `secondary` (bordered, faded), computed from the theme once per table.
 */
export function rowActionLook(theme: GlobalTheme | null | undefined, common: ThemeCommonVars): Record<string, string> {
  const button = naiveSelf(theme, 'Button', common);
  const look: Record<string, string> = {
    ...smallButtonLook(button, 'Tiny', common),
    '--row-action-opacity-disabled': button.opacityDisabled ?? '',
    '--row-action-disabled-color': button.colorDisabled ?? '',
    '--row-action-disabled-text': button.textColorDisabled ?? '',
    '--row-action-disabled-border': button.borderDisabled ?? '',
  };
  for (const type of rowActionTypes) {
    const colour = type === 'default' ? (button.textColor ?? '') : (button[typed('color', type)] ?? '');
    const wash = (alpha: string | undefined, grey: string | undefined): string => (type === 'default' ? (grey ?? '') : atAlpha(colour, alpha ?? '1'));
    look[`--row-action-${type}-text`] = colour;
    look[`--row-action-${type}-color`] = wash(button.colorOpacitySecondary, button.colorSecondary);
    look[`--row-action-${type}-hover`] = wash(button.colorOpacitySecondaryHover, button.colorSecondaryHover);
    look[`--row-action-${type}-pressed`] = wash(button.colorOpacitySecondaryPressed, button.colorSecondaryPressed);
  }
  return look;
}
