import type { Sender } from './router.ts';

/**
 * Which senders the router accepts. Each transport registers the rule that fits it when it
 * starts (the Electron window's own origin, browser mode's origin + token) and revokes it when
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

/**
 * The origin a URL belongs to as `scheme://host[:port]`, or undefined for URLs that name no
 * origin (file:, data:, about:, credentials in the authority, unparsable text). Written out
 * by hand because WHATWG `URL.origin` is the opaque "null" for custom schemes like app://,
 * which would make every app:// page (and none) look alike.
 */
export function originOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.username !== '' || parsed.password !== '' || parsed.host === '') return undefined;
  return `${parsed.protocol}//${parsed.host}`;
}

/**
 * A rule trusting Electron top frames whose URL has exactly the given origin. A prefix test
 * would also let `app://kiops.evil/` or `http://localhost:5173@evil/` through.
 */
export function electronOriginRule(origin: string): (sender: Sender) => boolean {
  const expected = originOf(origin);
  if (expected === undefined || expected !== origin.replace(/\/$/, '')) throw new Error(`Not an origin: ${origin}`);
  return (sender) => sender.transport === 'electron' && originOf(sender.origin) === expected;
}
