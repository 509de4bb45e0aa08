import type { Locator, Page } from 'playwright-core';

/**
 * Where elements are laid out (left and top through their offset parents: layout, not the
 * transforms of an opening animation), recorded at every animation frame: a control that moves
 * after it was drawn shows up as a second position.
 */
export class LayoutRecorder {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  /** Starts recording each distinct position of the first element matching each selector. */
  async track(...selectors: string[]): Promise<void> {
    await this.page.evaluate(
      `(() => {
        const selectors = ${JSON.stringify(selectors)};
        const seen = (window.__kiopsLayout = Object.fromEntries(selectors.map((selector) => [selector, []])));
        ${layoutPositionSource}
        const tick = () => {
          if (window.__kiopsLayout !== seen) return;
          for (const selector of selectors) {
            const element = document.querySelector(selector);
            if (!element) continue;
            const at = layoutPosition(element);
            if (!seen[selector].includes(at)) seen[selector].push(at);
          }
          requestAnimationFrame(tick);
        };
        tick();
      })()`,
    );
  }

  /** Lets the page draw `count` frames. */
  async frames(count: number): Promise<void> {
    await this.page.evaluate(`new Promise((resolve) => { let left = ${count}; const next = () => (--left <= 0 ? resolve(0) : requestAnimationFrame(next)); requestAnimationFrame(next); })`);
  }

  /** Stops recording; each selector's distinct positions as "left,top", in the order seen. */
  async positions(): Promise<Record<string, string[]>> {
    return (await this.page.evaluate('(() => { const seen = window.__kiopsLayout; window.__kiopsLayout = undefined; return seen; })()')) as Record<string, string[]>;
  }

  /** One element's position now, as "left,top". */
  async positionOf(locator: Locator): Promise<string> {
    return locator.evaluate(layoutPosition);
  }
}

interface LaidOut {
  readonly offsetLeft: number;
  readonly offsetTop: number;
  readonly offsetParent: unknown;
}

/** Runs in the page: where an element is laid out, as "left,top". */
function layoutPosition(element: unknown): string {
  let left = 0;
  let top = 0;
  for (let node = element as LaidOut | null; node; node = node.offsetParent as LaidOut | null) {
    left += node.offsetLeft;
    top += node.offsetTop;
  }
  return `${left},${top}`;
}

const layoutPositionSource = `const layoutPosition = ${layoutPosition.toString()};`;
