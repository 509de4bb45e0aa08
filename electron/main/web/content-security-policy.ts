/**
 * The hash of the one inline script, index.html's load guard (it reloads a window whose code
 * failed to load, before any of that code can run). Its test recomputes it from index.html.
 */
export const loadGuardScriptHash = "'sha256-Ukd/SurbnpF25qbrF6h2GgR8JDWhLnxc/TACSfn7WAI='";

/**
 * The renderer's Content-Security-Policy, shared by the Electron window and browser mode.
 * No 'unsafe-eval' and no remote scripts; naive-ui injects <style> at run time, so styles
 * need 'unsafe-inline' (scripts never do: the one inline script is allowed by its hash).
 */
export function contentSecurityPolicy(options: { connectSrc?: string } = {}): string {
  const connect = ["'self'", options.connectSrc].filter(Boolean).join(' ');
  return [
    "default-src 'self'",
    `script-src 'self' ${loadGuardScriptHash}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
