import type { Sender } from './router.ts';

/**
 * Which senders the router accepts. Each transport registers the rule that fits it when it
 * starts (the Electron window's own URL, browser mode's origin + token) and revokes it when
 * it stops; with no rule registered, nothing is trusted.
 */
export class SenderPolicy {
  private readonly rules = new Set<(sender: Sender) => boolean>();

  allow(rule: (sender: Sender) => boolean): () => void {
    this.rules.add(rule);
    return () => this.rules.delete(rule);
  }

  isTrusted(sender: Sender): boolean {
    for (const rule of this.rules) if (rule(sender)) return true;
    return false;
  }
}
