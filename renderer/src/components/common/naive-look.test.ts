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

  it("names a small tag's variables after the table", () => {
    const look = smallTagLook('row', naiveSelf(null, 'Tag', lightTheme.common), ['success', 'default']);
    expect(look).toMatchObject({ '--row-tag-height': '22px', '--row-tag-padding': '0 7px', '--row-tag-success-text': '#18a058', '--row-tag-default-text': 'rgb(51, 54, 57)' });
  });
});
