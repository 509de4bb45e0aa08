import { describe, expect, it } from 'vitest';
import { darkTheme, lightTheme } from 'naive-ui';
import { auditRowLook, outcomeTagTypes } from './audit-row-look.ts';
import { outcomeTagType } from '../../audit/outcome.ts';
import { auditOutcomes } from '../../../../shared/contract/audit.ts';

describe('an Audit Log row drawn without naive-ui components', () => {
  it('takes the values NTag (small, borderless) and NText (error, depth 3) compute in the light theme', () => {
    expect(auditRowLook(null, lightTheme.common)).toMatchObject({
      '--small-tag-height': '22px',
      '--small-tag-font-size': '12px',
      '--small-tag-success-text': '#18a058',
      '--small-tag-error-text': '#d03050',
      '--small-tag-warning-text': '#f0a020',
      '--small-tag-info-text': '#2080f0',
      '--audit-text-error': '#d03050',
      '--audit-focus': '#18a058',
    });
  });

  it('has a tag colour for every outcome', () => {
    const look = auditRowLook(null, lightTheme.common);
    for (const outcome of auditOutcomes) {
      expect(outcomeTagTypes).toContain(outcomeTagType(outcome));
      expect(look[`--small-tag-${outcomeTagType(outcome)}-text`], outcome).toMatch(/^#/);
    }
  });

  it('follows the dark theme, and every variable has a value in both', () => {
    const light = auditRowLook(null, lightTheme.common);
    const dark = auditRowLook(darkTheme, darkTheme.common);
    expect(dark['--small-tag-success-text']).not.toBe(light['--small-tag-success-text']);
    expect(dark['--table-text-3']).not.toBe(light['--table-text-3']);
    expect(dark['--table-td-color']).not.toBe(light['--table-td-color']);
    for (const look of [light, dark]) for (const [name, value] of Object.entries(look)) expect(value, name).not.toBe('');
  });
});
