import type { Page } from 'playwright-core';

/**
 * The contract calls a page made over browser mode's WebSocket, read from the frames the browser
 * reports: which calls were sent and which were answered. A test that asserts that something did
 * not happen (a dialog stayed closed) first waits for the answer it depends on, a positive signal,
 * instead of sleeping.
 */
export class CallLog {
  private readonly names = new Map<string, string>();
  private readonly sentNames: string[] = [];
  private readonly answeredNames: string[] = [];

  constructor(page: Page) {
    let sockets = 0;
    page.on('websocket', (socket) => {
      const socketIndex = (sockets += 1);
      socket.on('framesent', ({ payload }) => {
        const message = parse(payload);
        if (message?.t !== 'call' || typeof message.name !== 'string') return;
        this.names.set(`${socketIndex}:${String(message.id)}`, message.name);
        this.sentNames.push(message.name);
      });
      socket.on('framereceived', ({ payload }) => {
        const message = parse(payload);
        if (message?.t !== 'result') return;
        const name = this.names.get(`${socketIndex}:${String(message.id)}`);
        if (name !== undefined) this.answeredNames.push(name);
      });
    });
  }

  /** The calls the page sent that main has not answered yet, by name (for a failure's explanation). */
  unanswered(): string[] {
    const left = [...this.sentNames];
    for (const name of this.answeredNames) {
      const at = left.indexOf(name);
      if (at !== -1) left.splice(at, 1);
    }
    return left;
  }

  /** How many calls named `name` the page has sent so far. */
  sent(name: string): number {
    return this.sentNames.filter((sent) => sent === name).length;
  }

  /** How many calls named `name` main has answered so far. */
  answered(name: string): number {
    return this.answeredNames.filter((answered) => answered === name).length;
  }

  /** Waits until main has answered more than `before` calls named `name`, then lets the page handle the answer. */
  async waitForAnswer(page: Page, name: string, before: number, timeoutMs = 30_000): Promise<void> {
    if (!(await grows(() => this.answered(name), before, timeoutMs))) throw new Error(`timed out after ${timeoutMs} ms waiting for main to answer ${name}`);
    // a round trip through the page: the answer's handler (and Vue's render after it) ran first
    await page.evaluate('0');
  }

  /** Whether the page sends more than `before` calls named `name` within `timeoutMs`. */
  sentWithin(name: string, before: number, timeoutMs: number): Promise<boolean> {
    return grows(() => this.sent(name), before, timeoutMs);
  }
}

/** Whether `count()` goes above `before` within `timeoutMs`. */
async function grows(count: () => number, before: number, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; count() <= before; ) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

function parse(payload: string | Buffer): { t?: unknown; id?: unknown; name?: unknown } | null {
  try {
    const value: unknown = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as { t?: unknown; id?: unknown; name?: unknown }) : null;
  } catch {
    return null;
  }
}
