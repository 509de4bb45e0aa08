import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { build } from 'vite';

const repoRoot = join(import.meta.dirname, '../../..');
/** Kept apart from out/renderer so a test run never clobbers what `npm run web` serves. */
export const e2eRendererDir = join(repoRoot, 'out', 'e2e-renderer');
const stampFile = join(e2eRendererDir, '.build-stamp');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** A hash of everything the bundle is built from: renderer and shared sources, config, lock file. */
async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = [
    ...(await filesUnder(join(repoRoot, 'renderer'))),
    ...(await filesUnder(join(repoRoot, 'shared'))),
    join(repoRoot, 'package-lock.json'),
  ];
  for (const file of files) {
    hash.update(relative(repoRoot, file)).update('\0').update(await readFile(file)).update('\0');
  }
  return hash.digest('hex');
}

/**
 * Builds the renderer for browser mode unless the last build came from the same sources.
 * Returns the folder to serve. Content-hashed rather than timestamp-compared, so a checkout
 * or a stash that restores old files is noticed too.
 */
export async function ensureRendererBuilt(): Promise<string> {
  const wanted = await sourceHash();
  const built = await readFile(stampFile, 'utf8').catch(() => '');
  if (built === wanted) return e2eRendererDir;
  await build({
    configFile: join(repoRoot, 'renderer', 'vite.config.ts'),
    mode: 'production',
    logLevel: 'warn',
    build: { outDir: e2eRendererDir, emptyOutDir: true },
  });
  await writeFile(stampFile, wanted);
  return e2eRendererDir;
}
