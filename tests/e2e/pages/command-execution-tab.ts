import type { Locator, Page } from 'playwright-core';
import { againWhenPodmanLostOutput } from '../../support/podman-lost-output.ts';
import type { CallLog } from '../support/call-log.ts';

/** The Command Execution tab of the Operations Modal. */
export class CommandExecutionTab {
  readonly page: Page;
  private readonly evidence: (() => Promise<string>) | undefined;
  private readonly calls: CallLog | undefined;

  /**
   * `evidence`: what main knows of the runs (calls answered, audit rows), added to a stalled
   * run's failure. `calls`: the page's contract calls, to tell a Run click that sent nothing
   * from a run that is slow.
   */
  constructor(page: Page, evidence?: () => Promise<string>, calls?: CallLog) {
    this.page = page;
    this.evidence = evidence;
    this.calls = calls;
  }

  get root(): Locator {
    return this.page.getByTestId('command-execution-tab');
  }

  get containerSelect(): Locator {
    return this.root.getByTestId('command-container');
  }

  get input(): Locator {
    return this.root.getByTestId('command-line').locator('input');
  }

  get runButton(): Locator {
    return this.root.getByTestId('command-run');
  }

  get stopButton(): Locator {
    return this.root.getByTestId('command-stop');
  }

  get output(): Locator {
    return this.root.getByTestId('command-output');
  }

  get sessions(): Locator {
    return this.root.getByTestId('command-sessions');
  }

  get exitCode(): Locator {
    return this.root.getByTestId('command-exit-code');
  }

  get endReason(): Locator {
    return this.root.getByTestId('command-end-reason');
  }

  get argv(): Locator {
    return this.root.getByTestId('command-argv');
  }

  get blocked(): Locator {
    return this.root.getByTestId('command-blocked');
  }

  get examples(): Locator {
    return this.root.getByTestId('command-example');
  }

  get confirmDialog(): Locator {
    return this.page.getByTestId('production-confirm');
  }

  async mode(mode: 'one-shot' | 'streaming'): Promise<void> {
    await this.root.getByTestId(`command-mode-${mode}`).click();
  }

  /** Picks a container by name, or the host entry with null. */
  async selectContainer(name: string | null): Promise<void> {
    await this.containerSelect.click();
    const options = this.page.locator('.n-base-select-option');
    await (name === null ? options.first() : options.filter({ hasText: name }).first()).click();
  }

  async type(line: string): Promise<void> {
    await this.input.fill(line);
  }

  /** Types and runs a one-shot command, waiting for its result bar or refusal. */
  async runOnce(line: string): Promise<void> {
    await this.type(line);
    await this.clickRunAndCheckSent();
    // longer than the one-shot deadline (30 s, 60 s for logs): a slow command shows its own ending
    await this.ended
      .waitFor({ timeout: 90_000 })
      .catch(async (error: unknown) => {
        throw new Error(`${String(error)}\n${await this.describe()}`);
      });
  }

  /**
   * Clicks Run and waits for the page to send commands.run. A click that sends nothing fails at
   * once with the pointer events the page received. Flake 3 of issue 9 was such a click: the modal
   * re-centred under it as the tab's data arrived, so the mouse came up 78 px below Run
   * (modal-layout.test.ts holds the fix).
   */
  private async clickRunAndCheckSent(): Promise<void> {
    const calls = this.calls;
    if (calls === undefined) return void (await this.runButton.click());
    const sentBefore = calls.sent('commands.run');
    await this.recordPointerEvents();
    await this.runButton.click();
    // (the result bar is no sign: a lost click leaves the previous run's result showing)
    if (await calls.sentWithin('commands.run', sentBefore, 15_000)) return;
    const events = await this.page.evaluate('JSON.stringify((window.__kiopsPointerEvents ?? []).slice(-12))').catch(() => '?');
    throw new Error(`[lost click] Run was clicked and the page sent no commands.run within 15 s; pointer events the page received: ${String(events)}\n${await this.describe()}`);
  }

  /** The tab's result bar, refusal or failure: a run that ended. */
  private get ended(): Locator {
    return this.root.locator('[data-testid="command-result"], [data-testid="command-blocked"], [data-testid="command-failure"]').first();
  }

  /** Keeps the page's last pointer events (type, target, position) for a lost click's report. */
  private async recordPointerEvents(): Promise<void> {
    await this.page.evaluate(`(() => {
      if (window.__kiopsPointerEvents) return;
      const kept = (window.__kiopsPointerEvents = []);
      const describe = (node) => node instanceof Element ? node.tagName.toLowerCase() + (node.getAttribute('data-testid') ? '[' + node.getAttribute('data-testid') + ']' : '') + (node.className && typeof node.className === 'string' ? '.' + node.className.trim().split(/\\s+/).slice(0, 2).join('.') : '') : String(node);
      for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']) {
        document.addEventListener(type, (event) => {
          kept.push({ type, target: describe(event.target), x: Math.round(event.clientX), y: Math.round(event.clientY), at: Math.round(performance.now()), prevented: event.defaultPrevented });
          if (kept.length > 50) kept.shift();
        }, true);
      }
    })()`);
  }

  /**
   * Runs a one-shot command whose output the test reads. When Podman lost all the output of an
   * exec that ended at once, the tab says, truly, that the command printed nothing with exit code
   * 0, and the run is tried again (`againWhenPodmanLostOutput`).
   */
  async runReadingOutput(line: string, engine: 'docker' | 'podman'): Promise<void> {
    const printedNothing = async () => engine === 'podman' && (await this.outputText()) === 'The command printed nothing.' && (await this.exitCode.innerText()) === 'Exit code 0';
    await againWhenPodmanLostOutput(() => this.runOnce(line), printedNothing);
  }

  /** What the tab showed when a run never ended: for a failure message, so a rare stall can be read afterwards. */
  private async describe(): Promise<string> {
    const shown = await this.root.innerText({ timeout: 5_000 }).catch(() => '(the tab could not be read)');
    const typed = await this.input.inputValue({ timeout: 5_000 }).catch(() => '?');
    const dialogs = await this.page.locator('[data-testid="production-confirm"]').count();
    const known = this.evidence ? await this.evidence().catch((error: unknown) => `(main's side could not be read: ${String(error)})`) : '';
    return `The tab showed (input "${typed}", ${dialogs} confirmation dialog(s) open):\n${shown.slice(0, 2_000)}\n${known}`;
  }

  async outputText(): Promise<string> {
    return (await this.output.innerText()).trim();
  }

  /** The text of the output lines drawn in the stderr colour. */
  async stderrText(): Promise<string> {
    const spans = this.output.locator('span[style*="color: rgb(244, 135, 113)"]');
    return (await spans.allInnerTexts()).join('\n');
  }
}
