import type { CustomScheme } from 'electron';
import { contentSecurityPolicy } from '../web/content-security-policy.ts';
import { readRendererFile } from '../web/static-files.ts';

/**
 * The packaged renderer is served from app://kiops/, not file://: module scripts load from a
 * standard secure scheme with the grantFileProtocolExtraPrivileges fuse off, and every response
 * can carry the real CSP header (file:// responses carry no headers at all).
 */
export const appScheme = 'app';
export const appHost = 'kiops';
export const appOrigin = `${appScheme}://${appHost}`;
export const appIndexUrl = `${appOrigin}/index.html`;

/**
 * Registered before `ready`: standard (a real origin, relative URLs), secure (like https), and
 * CORS-enabled so Vite's `<script type="module" crossorigin>` loads (same origin, so no
 * Access-Control headers are ever needed or sent).
 */
export const appSchemeRegistration: CustomScheme = {
  scheme: appScheme,
  privileges: { standard: true, secure: true, corsEnabled: true, supportFetchAPI: true, codeCache: true },
};

const securityHeaders = (): Record<string, string> => ({
  'Content-Security-Policy': contentSecurityPolicy(),
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
});

function refusal(status: 404 | 405, text: string): Response {
  return new Response(text, { status, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * The app:// handler: GET/HEAD of files under the built renderer folder only. Paths are left
 * percent-encoded until readRendererFile decodes them once and refuses anything that climbs
 * out of the folder, so `%2e%2e%2f` fares no better than `../`. Unknown types are not served.
 */
export function createAppSchemeHandler(rendererRoot: string): (request: Request) => Promise<Response> {
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refusal(404, 'Not Found');
    }
    if (url.protocol !== `${appScheme}:` || url.host !== appHost) return refusal(404, 'Not Found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, 'Method Not Allowed');
    // a NUL or backslash never names a renderer file; on Windows a backslash would be a separator
    if (/%00|%5c|\\/i.test(url.pathname)) return refusal(404, 'Not Found');
    const file = await readRendererFile(rendererRoot, url.pathname);
    if (!file) return refusal(404, 'Not Found');
    const body = request.method === 'HEAD' ? null : new Uint8Array(file.body);
    return new Response(body, { status: 200, headers: { ...securityHeaders(), 'Content-Type': file.contentType } });
  };
}
