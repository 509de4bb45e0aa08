import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/**
 * Reads a file of the built renderer. Paths are resolved inside the root only; anything
 * that tries to climb out (`..`, encoded or not) or is not a known asset type is not served.
 */
export async function readRendererFile(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const absolute = normalize(join(root, relative));
  if (!absolute.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  const contentType = contentTypes[extname(absolute)];
  if (!contentType) return undefined;
  try {
    return { body: await readFile(absolute), contentType };
  } catch {
    return undefined;
  }
}

/**
 * A file of the build whose name carries a hash of its content (Vite's `assets/name-HASH.ext`):
 * the same name always holds the same bytes, so a window may keep it, and Chromium its compiled
 * code, for good. The page itself (index.html) and anything unhashed is asked for every time.
 */
export function immutableAsset(urlPath: string): boolean {
  return /^\/assets\/[\w.-]+-[\w-]{8}\.(?:js|css|woff2|svg|png)$/.test(urlPath);
}
