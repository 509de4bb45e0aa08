import type { GlobalTheme, ThemeCommonVars } from 'naive-ui';
import { naiveSelf, rowActionLook, smallTagLook, tableLook } from '../common/naive-look.ts';

/** The tones a container's state tag takes (containerTagType): running info, exited warning, the rest default. */
export const containerTagTypes = ['info', 'warning', 'default'] as const;

/**
 * What a Container List row looks like, as CSS custom properties for the table: naive-ui's
 * NDataTable (size small), NTag (size small, borderless) for the state, NButton (rowActionLook)
 * for Restart (tableLook's muted text for the status text and empty stats), computed from the
 * theme once per table instead of once per component in every row.
 */
export function containerRowLook(theme: GlobalTheme | null | undefined, common: ThemeCommonVars): Record<string, string> {
  const tag = naiveSelf(theme, 'Tag', common);
  return {
    ...tableLook(theme, common),
    ...smallTagLook(tag, containerTagTypes, common.cubicBezierEaseInOut),
    ...rowActionLook(theme, common),
  };
}
