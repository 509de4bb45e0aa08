import { describe, expect, it } from 'vitest';
import { lightTheme } from 'naive-ui';
import { atAlpha, naiveSelf, smallTagLook } from './naive-look.ts';

describe("naive-ui's theme values for rows drawn without its components", () => {
  it('puts a colour at an alpha as naive-ui does', () => {
    expect(atAlpha('#d03050', '0.16')).toBe('rgba(208, 48, 80, 0.16)');
    expect(atAlpha('#fff', '0.5')).toBe('rgba(255, 255, 255, 0.5)');
    expect(atAlpha('rgb(232, 128, 128)', '0.2')).toBe('rgba(232, 128, 128, 0.2)');
    expect(atAlpha('hsl(0 50% 50%)', '0.2')).toBe('color-mix(in srgb, hsl(0 50% 50%) 20%, transparent)');
  });

  it("gives small-tag.css naive-ui's small tag values, per tone", () => {
    const look = smallTagLook(naiveSelf(null, 'Tag', lightTheme.common), ['success', 'default'], lightTheme.common.cubicBezierEaseInOut);
    expect(look).toMatchObject({ '--small-tag-height': '22px', '--small-tag-padding': '0 7px', '--small-tag-success-text': '#18a058', '--small-tag-default-text': 'rgb(51, 54, 57)', '--small-tag-bezier': lightTheme.common.cubicBezierEaseInOut });
  });
});
