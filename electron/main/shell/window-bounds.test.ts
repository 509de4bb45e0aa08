import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultWindowSize, readWindowBounds, saveWindowBounds } from './window-bounds.ts';

const display = { x: 0, y: 0, width: 1920, height: 1080 };
const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiops-bounds-'));
  dirs.push(dir);
  return join(dir, 'window-bounds.json');
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('remembered window bounds', () => {
  it('come back as saved when they are still on a display', () => {
    const file = tempFile();
    saveWindowBounds(file, { x: 100, y: 50, width: 1200, height: 800, maximized: true });
    expect(readWindowBounds(file, [display])).toEqual({ x: 100, y: 50, width: 1200, height: 800, maximized: true });
  });

  it('keep the size but drop a position whose title bar is on no display (monitor unplugged)', () => {
    const file = tempFile();
    for (const position of [{ x: 2500, y: 100 }, { x: 100, y: -400 }, { x: -1150, y: 100 }, { x: 1870, y: 100 }]) {
      saveWindowBounds(file, { ...position, width: 1200, height: 800, maximized: false });
      expect(readWindowBounds(file, [display]), JSON.stringify(position)).toEqual({ width: 1200, height: 800, maximized: false });
    }
    saveWindowBounds(file, { x: 2500, y: 100, width: 1200, height: 800, maximized: false });
    expect(readWindowBounds(file, [display, { x: 1920, y: 0, width: 2560, height: 1440 }])).toEqual({ x: 2500, y: 100, width: 1200, height: 800, maximized: false });
  });

  it('fall back to the default size when missing or not what was written', () => {
    const file = tempFile();
    expect(readWindowBounds(file, [display])).toEqual(defaultWindowSize);
    for (const text of ['{', 'null', '{"x":1,"y":1,"width":10,"height":10,"maximized":false}', '{"x":"1","y":1,"width":1000,"height":800,"maximized":false}']) {
      writeFileSync(file, text);
      expect(readWindowBounds(file, [display]), text).toEqual(defaultWindowSize);
    }
  });
});
