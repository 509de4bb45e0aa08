import { describe, expect, it } from 'vitest';
import { darkTheme, lightTheme } from 'naive-ui';
import { containerRowLook, containerTagTypes } from './container-row-look.ts';
import { containerTagType } from './container-format.ts';
import { containerStateTones } from '../../../../shared/contract/containers.ts';

describe('a Container List row drawn without naive-ui components', () => {
  it('takes the values NTag (small, borderless) and NButton (tiny, secondary) compute in the light theme', () => {
    expect(containerRowLook(null, lightTheme.common)).toMatchObject({
      '--small-tag-info-text': '#2080f0',
      '--small-tag-warning-text': '#f0a020',
      '--small-button-height': '22px',
      '--small-button-font-size': '12px',
      '--row-action-default-text': 'rgb(51, 54, 57)',
      '--row-action-default-color': 'rgba(46, 51, 56, .05)',
      '--row-action-disabled-border': '1px solid rgb(224, 224, 230)',
    });
  });

  it('has a tag colour for every state', () => {
    const look = containerRowLook(null, lightTheme.common);
    for (const tone of containerStateTones) {
      expect(containerTagTypes).toContain(containerTagType(tone));
      expect(look[`--small-tag-${containerTagType(tone)}-text`], tone).not.toBe('');
    }
  });

  it('follows the dark theme, and every variable has a value in both', () => {
    const light = containerRowLook(null, lightTheme.common);
    const dark = containerRowLook(darkTheme, darkTheme.common);
    expect(dark['--small-tag-info-text']).not.toBe(light['--small-tag-info-text']);
    expect(dark['--row-action-default-text']).not.toBe(light['--row-action-default-text']);
    expect(dark['--table-text-3']).not.toBe(light['--table-text-3']);
    for (const look of [light, dark]) for (const [name, value] of Object.entries(look)) expect(value, name).not.toBe('');
  });
});
