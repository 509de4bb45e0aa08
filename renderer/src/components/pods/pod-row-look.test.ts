import { describe, expect, it } from 'vitest';
import { darkTheme, lightTheme } from 'naive-ui';
import { podRowLook } from './pod-row-look.ts';

describe('a Pod List row drawn without naive-ui components', () => {
  it('takes the values NTag (small, borderless) and NButton (tiny, secondary) compute in the light theme', () => {
    const look = podRowLook(null, lightTheme.common);
    expect(look).toMatchObject({
      '--small-tag-height': '22px',
      '--small-tag-padding': '0 7px',
      '--small-tag-font-size': '12px',
      '--small-tag-info-text': '#2080f0',
      '--small-tag-info-color': 'rgba(32, 128, 240, 0.12)',
      '--small-tag-warning-text': '#f0a020',
      '--small-tag-error-text': '#d03050',
      '--small-button-height': '22px',
      '--small-button-padding': '0 6px',
      '--small-button-font-size': '12px',
      '--small-button-radius': '3px',
      '--row-action-default-text': 'rgb(51, 54, 57)',
      '--row-action-default-color': 'rgba(46, 51, 56, .05)',
      '--row-action-default-hover': 'rgba(46, 51, 56, .09)',
      '--row-action-error-text': '#d03050',
      '--row-action-error-color': 'rgba(208, 48, 80, 0.16)',
      '--row-action-error-hover': 'rgba(208, 48, 80, 0.22)',
      '--row-action-error-pressed': 'rgba(208, 48, 80, 0.28)',
      '--row-action-warning-color': 'rgba(240, 160, 32, 0.16)',
      '--row-action-disabled-border': '1px solid rgb(224, 224, 230)',
      '--row-action-opacity-disabled': '0.5',
    });
  });

  it('follows the dark theme, and every variable has a value in both', () => {
    const light = podRowLook(null, lightTheme.common);
    const dark = podRowLook(darkTheme, darkTheme.common);
    expect(dark['--small-tag-info-text']).not.toBe(light['--small-tag-info-text']);
    expect(dark['--row-action-default-text']).not.toBe(light['--row-action-default-text']);
    for (const look of [light, dark]) for (const [name, value] of Object.entries(look)) expect(value, name).not.toBe('');
  });

});
