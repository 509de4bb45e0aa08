/**
 * The renderer's Content-Security-Policy, shared by the Electron window and browser mode.
 * No 'unsafe-eval' and no remote scripts; naive-ui injects <style> at run time, so styles
 * need 'unsafe-inline' (scripts never do).
 */
export function contentSecurityPolicy(options: { connectSrc?: string } = {}): string {
  const connect = ["'self'", options.connectSrc].filter(Boolean).join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
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
