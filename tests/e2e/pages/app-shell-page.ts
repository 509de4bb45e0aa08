import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describeWindow, ensureScreenshotDir } from '../support/browser-app.ts';

/** The app's pages as the side menu offers them (ids, not labels, so tests work in any language). */
export type PageName = 'services' | 'environments' | 'audit' | 'security';
export const pageNames: readonly PageName[] = ['services', 'environments', 'audit', 'security'];

/**
 * The frame around every page: header (theme, language), side menu, status bar. Page
 * objects for single pages (and, later, the Operations Modal's tabs) take the same Page.
 */
export class AppShellPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get heading(): Locator {
    return this.page.getByTestId('page-heading');
  }

  get statusBar(): Locator {
    return this.page.getByTestId('status-bar');
  }

  get keychainStatus(): Locator {
    return this.page.getByTestId('keychain-status');
  }

  get auditStatus(): Locator {
    return this.page.getByTestId('audit-status');
  }

  /** The text of the notifications currently shown (naive-ui's discrete notifications). */
  async notificationText(): Promise<string> {
    return (await this.page.locator('.n-notification').allTextContents()).join('\n');
  }

  menuItem(name: PageName): Locator {
    return this.page.getByTestId(`nav-${name}`);
  }

  /** The shell is up once it has talked to main: the status bar shows app.info. */
  async waitUntilReady(): Promise<void> {
    try {
      await this.statusBar.waitFor();
    } catch (error) {
      const picture = await this.screenshot(`not-ready-${Date.now()}`).catch(() => '(no picture)');
      throw new Error(`The window never showed its status bar; ${await describeWindow(this.page)}; picture: ${picture}`, { cause: error });
    }
  }

  async navigate(name: PageName): Promise<void> {
    await this.menuItem(name).click();
    // pages other than Service Management load their code the first time they are shown
    await this.page.getByTestId(`page-${name}`).getByTestId('page-heading').waitFor();
  }

  async chooseLanguage(locale: 'ko' | 'en'): Promise<void> {
    await this.choose('language-select', `language-option-${locale}`);
  }

  async chooseTheme(theme: 'system' | 'light' | 'dark'): Promise<void> {
    await this.choose('theme-select', `theme-option-${theme}`);
  }

  /** The theme in effect ('light' | 'dark'), as the window declares it on <html>. */
  async theme(): Promise<string | null> {
    return this.page.locator('html').getAttribute('data-theme');
  }

  /**
   * The layout's background colour once naive-ui's colour transition has settled: no CSS transition
   * runs (reading the style first starts any pending one) and two reads agree. A loaded machine
   * may draw no frame between two reads, so equal reads alone could be mid-transition.
   */
  async backgroundColor(): Promise<string> {
    // a string, because this file is type-checked without the DOM library
    const read = async () =>
      (await this.page.evaluate(
        "(() => { const colour = getComputedStyle(document.querySelector('.n-layout')).backgroundColor; return { colour, moving: document.getAnimations().some((animation) => typeof animation.transitionProperty === 'string' && animation.playState === 'running') }; })()",
      )) as { colour: string; moving: boolean };
    const deadline = Date.now() + 30_000;
    let previous = await read();
    for (;;) {
      await this.page.waitForTimeout(100);
      const now = await read();
      if ((!now.moving && now.colour === previous.colour) || Date.now() > deadline) return now.colour;
      previous = now;
    }
  }

  async screenshot(name: string): Promise<string> {
    const path = join(await ensureScreenshotDir(), `${name}.png`);
    await this.settleAnimations();
    await this.page.screenshot({ path, fullPage: true });
    return path;
  }

  /**
   * Waits (up to 10 s) until no transition or animation runs, so pictures show settled
   * colours. Polled with page.evaluate: waitForFunction would evaluate its string inside the
   * page, which the app's CSP (no unsafe-eval) rightly refuses.
   */
  private async settleAnimations(): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const running = await this.page.evaluate("document.getAnimations().some((animation) => animation.playState === 'running')");
      if (running !== true) return;
      await this.page.waitForTimeout(100);
    }
  }

  private async choose(selectTestId: string, optionClass: string): Promise<void> {
    await this.page.getByTestId(selectTestId).click();
    const option = this.page.locator(`.n-base-select-option.${optionClass}`);
    await option.click();
    await option.waitFor({ state: 'hidden' });
  }
}
