import { describe, expect, it } from 'vitest';
import { darkTheme, lightTheme } from 'naive-ui';
import { serviceRowLook } from './service-row-look.ts';

describe('a Service Management row drawn without naive-ui components', () => {
  it('takes the values NTag (small, borderless) and NButton (small: primary, quaternary, text) compute in the light theme', () => {
    expect(serviceRowLook(null, lightTheme.common)).toMatchObject({
      '--small-tag-height': '22px',
      '--small-tag-padding': '0 7px',
      '--small-tag-font-size': '12px',
      '--small-tag-success-text': '#18a058',
      '--small-tag-error-text': '#d03050',
      '--small-button-height': '28px',
      '--small-button-padding': '0 10px',
      '--small-button-font-size': '14px',
      '--svc-primary-color': '#18a058',
      '--svc-primary-text': '#FFF',
      '--svc-star-on': '#f0a020',
    });
  });

  it('follows the dark theme, and every variable has a value in both', () => {
    const light = serviceRowLook(null, lightTheme.common);
    const dark = serviceRowLook(darkTheme, darkTheme.common);
    expect(dark['--small-tag-success-text']).not.toBe(light['--small-tag-success-text']);
    expect(dark['--svc-quaternary-text']).not.toBe(light['--svc-quaternary-text']);
    expect(dark['--svc-star-off']).not.toBe(light['--svc-star-off']);
    for (const look of [light, dark]) for (const [name, value] of Object.entries(look)) expect(value, name).not.toBe('');
  });
});
