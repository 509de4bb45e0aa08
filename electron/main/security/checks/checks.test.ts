import { describe, expect, it } from 'vitest';
import type { RecordedResponse } from '../probe-types.ts';
import { analyseBanners } from './banner.ts';
import { analyseCookies } from './cookies.ts';
import { analyseCors, probeOrigin } from './cors.ts';
import { analyseDirectoryListing } from './directory-listing.ts';
import { analyseErrorPages } from './error-pages.ts';
import { analyseSecurityHeaders } from './headers.ts';
import { analyseMethods } from './methods.ts';
import { analyseReflection, reflectionValue } from './reflection.ts';
import { analyseSensitivePath, sensitivePaths } from './sensitive-paths.ts';
import { analyseRedirect, analyseTransport } from './transport.ts';

// Each check against a response recorded from a real server (trimmed to what the check reads).
const recorded = (partial: Partial<RecordedResponse>): RecordedResponse => ({ path: '/', method: 'GET', status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<html></html>', ...partial });
const ids = (findings: readonly { id: string }[]) => findings.map((finding) => finding.id);
const entry = (path: string) => {
  const found = sensitivePaths.find((item) => item.path === path);
  if (!found) throw new Error(path);
  return found;
};

describe('DAST checks on recorded responses', () => {
  it('transport: plain HTTP only matters off loopback; HTTPS needs HSTS', () => {
    expect(analyseTransport(new URL('http://127.0.0.1:8080'), recorded({}))).toEqual([]);
    expect(ids(analyseTransport(new URL('http://shop.example.com'), recorded({})))).toEqual(['transport.plain-http']);
    expect(ids(analyseTransport(new URL('https://shop.example.com'), recorded({})))).toEqual(['transport.hsts-missing']);
    expect(analyseTransport(new URL('https://shop.example.com'), recorded({ headers: { 'strict-transport-security': 'max-age=31536000' } }))).toEqual([]);
  });

  it('transport: a redirect to another origin is reported, one on the same origin is not', () => {
    const origin = new URL('http://127.0.0.1:8080');
    expect(ids(analyseRedirect(origin, recorded({ status: 302, headers: { location: 'https://evil.example/' } })))).toEqual(['transport.offsite-redirect:/']);
    expect(analyseRedirect(origin, recorded({ status: 302, headers: { location: '/login' } }))).toEqual([]);
  });

  it('headers: each missing header is one finding; frame-ancestors counts for framing', () => {
    expect(analyseSecurityHeaders(recorded({ headers: {} })).map((f) => f.id).sort()).toEqual(['headers.csp-missing', 'headers.framing-missing', 'headers.nosniff-missing', 'headers.permissions-policy-missing', 'headers.referrer-policy-missing']);
    const clean = { 'content-security-policy': "default-src 'self'; frame-ancestors 'none'", 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'permissions-policy': 'camera=()' };
    expect(analyseSecurityHeaders(recorded({ headers: clean }))).toEqual([]);
  });

  it('cookies: flags by name, never the value', () => {
    const findings = analyseCookies([recorded({ headers: { 'set-cookie': ['session=s3cr3t-token; Path=/', 'prefs=dark; Secure; HttpOnly; SameSite=Lax'] } })]);
    expect(ids(findings)).toEqual(['cookies.flags:session']);
    expect(JSON.stringify(findings)).not.toContain('s3cr3t-token');
    expect(findings[0]?.title).toContain('Secure, HttpOnly, SameSite');
  });

  it('banners: versioned Server and any X-Powered-By', () => {
    expect(ids(analyseBanners(recorded({ headers: { server: 'nginx/1.25.3', 'x-powered-by': 'Express' } })))).toEqual(['banner.server-version', 'banner.x-powered-by']);
    expect(analyseBanners(recorded({ headers: { server: 'nginx' } }))).toEqual([]);
  });

  it('cors: reflected origin with credentials is high, wildcard with credentials medium', () => {
    expect(analyseCors(recorded({ headers: { 'access-control-allow-origin': probeOrigin, 'access-control-allow-credentials': 'true' } }), probeOrigin)[0]?.severity).toBe('high');
    expect(ids(analyseCors(recorded({ headers: { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' } }), probeOrigin))).toEqual(['cors.wildcard-credentials']);
    expect(analyseCors(recorded({ headers: { 'access-control-allow-origin': '*' } }), probeOrigin)).toEqual([]);
  });

  it('directory listing: an autoindex page, not a soft 404', () => {
    const listing = recorded({ path: '/files/', body: '<html><head><title>Index of /files/</title></head><body><h1>Index of /files/</h1></body></html>' });
    expect(ids(analyseDirectoryListing(listing, null))).toEqual(['listing:/files/']);
    expect(analyseDirectoryListing(recorded({ path: '/files/', status: 404, body: listing.body }), null)).toEqual([]);
  });

  it('sensitive paths: content signatures, and a soft-404 page never matches', () => {
    const git = recorded({ path: '/.git/config', headers: { 'content-type': 'text/plain' }, body: '[core]\n\trepositoryformatversion = 0\n\tbare = false\n' });
    expect(ids(analyseSensitivePath(entry('/.git/config'), git, null))).toEqual(['paths:/.git/config']);
    const env = recorded({ path: '/.env', headers: { 'content-type': 'text/plain' }, body: 'DB_PASSWORD=hunter2\n' });
    const found = analyseSensitivePath(entry('/.env'), env, null);
    expect(ids(found)).toEqual(['paths:/.env']);
    expect(JSON.stringify(found)).not.toContain('hunter2');
    const soft = recorded({ path: '/.env', body: '<!doctype html><html>Welcome</html>' });
    expect(analyseSensitivePath(entry('/.env'), soft, soft)).toEqual([]);
    expect(analyseSensitivePath(entry('/.git/config'), recorded({ path: '/.git/config', body: '<html>Welcome</html>' }), null)).toEqual([]);
  });

  it('reflection: the marker echoed raw into HTML, not escaped', () => {
    const marker = 'kiopsabc123';
    expect(ids(analyseReflection(recorded({ path: `/?q=x`, body: `<p>You searched ${reflectionValue(marker)}</p>` }), 'q', marker))).toEqual(['reflection:q']);
    expect(analyseReflection(recorded({ body: `<p>You searched ${marker}&lt;kiops&gt;</p>` }), 'q', marker)).toEqual([]);
  });

  it('methods: TRACE/PUT/DELETE advertised by OPTIONS', () => {
    expect(analyseMethods(recorded({ method: 'OPTIONS', headers: { allow: 'GET, HEAD, OPTIONS, TRACE' } }))[0]?.title).toContain('TRACE');
    expect(analyseMethods(recorded({ method: 'OPTIONS', headers: { allow: 'GET, HEAD, OPTIONS' } }))).toEqual([]);
  });

  it('error pages: stack traces of common runtimes', () => {
    const node = 'Error: boom\n    at handler (/srv/app/server.js:12:9)\n    at Layer.handle (/srv/node_modules/express/lib/router/layer.js:95:5)';
    expect(ids(analyseErrorPages([recorded({ path: '/error', status: 500, body: node })]))).toEqual(['errors.stack-trace:/error']);
    expect(ids(analyseErrorPages([recorded({ path: '/x', status: 500, body: 'Traceback (most recent call last):\n  File "app.py"' })]))).toEqual(['errors.stack-trace:/x']);
    expect(analyseErrorPages([recorded({ status: 500, body: '<h1>Something went wrong</h1>' })])).toEqual([]);
  });
});
