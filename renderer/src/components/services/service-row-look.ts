import type { GlobalTheme, ThemeCommonVars } from 'naive-ui';
import { naiveSelf, smallButtonLook, smallTagLook, tableLook } from '../common/naive-look.ts';

/** The tones a Service Management tag takes: health (success/warning/error/default) and the production tag (error). */
export const serviceTagTypes = ['success', 'warning', 'error', 'default'] as const;

/**
 * What a Service Management row's cells look like, as CSS custom properties for the table: the
 * values naive-ui's NText (strong; depth 3), NTag (size small, borderless) and NButton (size small:
 * primary, quaternary; the star a text button) compute from the theme, once per table instead of
 * once per component in every row that scrolls into view. The star keeps its own size (18 px) and
 * colours: the theme's icon colour, and its warning colour once a favourite.
 */
export function serviceRowLook(theme: GlobalTheme | null | undefined, common: ThemeCommonVars): Record<string, string> {
  const tag = naiveSelf(theme, 'Tag', common);
  const button = naiveSelf(theme, 'Button', common);
  const text = naiveSelf(theme, 'Typography', common);
  return {
    ...tableLook(theme, common),
    '--svc-bezier': common.cubicBezierEaseInOut,
    '--svc-text': text.textColor ?? common.textColor2,
    '--svc-text-strong': common.fontWeightStrong,
    '--svc-text-3': text.textColor3Depth ?? common.textColor3,
    ...smallTagLook(tag, serviceTagTypes, common.cubicBezierEaseInOut),
    ...smallButtonLook(button, 'Small', common),
    // NButton type primary: its border is its own colour, so the background alone draws it
    '--svc-primary-color': button.colorPrimary ?? '',
    '--svc-primary-hover': button.colorHoverPrimary ?? '',
    '--svc-primary-pressed': button.colorPressedPrimary ?? '',
    '--svc-primary-focus': button.colorFocusPrimary ?? '',
    '--svc-primary-text': button.textColorPrimary ?? '',
    // NButton quaternary: the default text on nothing, greyed on hover
    '--svc-quaternary-text': button.textColor ?? '',
    '--svc-quaternary-color': button.colorQuaternary ?? '',
    '--svc-quaternary-hover': button.colorQuaternaryHover ?? '',
    '--svc-quaternary-pressed': button.colorQuaternaryPressed ?? '',
    // NButton text: the star
    '--svc-star-off': common.iconColor,
    '--svc-star-on': common.warningColor,
    '--svc-star-hover': button.textColorTextHover ?? '',
    '--svc-star-pressed': button.textColorTextPressed ?? '',
  };
}
