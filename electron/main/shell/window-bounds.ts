import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

const storedBoundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean(),
});
export type WindowBounds = z.infer<typeof storedBoundsSchema>;

export const defaultWindowSize = { width: 1400, height: 900 } as const;

/**
 * The window's last size and position, if they still fit: a file that does not parse, or a
 * position on a display that is gone (unplugged monitor), falls back to the default size,
 * centred by Electron, instead of opening the window off screen.
 */
export function readWindowBounds(file: string, displays: readonly Rectangle[]): Partial<WindowBounds> {
  let stored: WindowBounds;
  try {
    stored = storedBoundsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return { ...defaultWindowSize };
  }
  const visible = displays.some((area) => overlapsEnough(stored, area));
  if (!visible) return { width: stored.width, height: stored.height, maximized: stored.maximized };
  return stored;
}

export function saveWindowBounds(file: string, bounds: WindowBounds): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(bounds)}\n`, { mode: 0o600 });
}

/** At least 100×50 px of the window's top part (its title bar) lies on the display. */
function overlapsEnough(window: Rectangle, area: Rectangle): boolean {
  const width = Math.min(window.x + window.width, area.x + area.width) - Math.max(window.x, area.x);
  const height = Math.min(window.y + 50, area.y + area.height) - Math.max(window.y, area.y);
  return width >= 100 && height >= 50;
}
