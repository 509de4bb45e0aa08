import { describe, expect, it } from 'vitest';
import { standInStyle } from './use-anchor-stand-in.ts';

describe('a shared popover stand-in', () => {
  it('covers the anchor exactly, in window pixels', () => {
    expect(standInStyle({ left: 903, top: 615.8, width: 55.1, height: 22 })).toEqual({ left: '903px', top: '615.8px', width: '55.1px', height: '22px' });
  });
});
