import type { Locator } from 'playwright-core';

/** The colour an element's text is drawn in, as the browser computed it (rgb(…)). */
export function textColour(element: Locator): Promise<string> {
  // Typed by hand: the tests are type-checked without the DOM library.
  return element.evaluate((node) => (globalThis as unknown as { getComputedStyle(element: unknown): { color: string } }).getComputedStyle(node).color);
}
