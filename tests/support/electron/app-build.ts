import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const repoRoot = join(import.meta.dirname, '../../..');
export const builtMainBundle = join(repoRoot, 'out', 'main', 'index.js');
export const builtRendererDir = join(repoRoot, 'out', 'renderer');
const stampFile = join(repoRoot, 'out', '.app-build-stamp');

async function sourceFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const dir of ['electron', 'shared', 'renderer']) {
    const entries = await readdir(join(repoRoot, dir), { withFileTypes: true, recursive: true });
    files.push(...entries.filter((entry) => entry.isFile() && !entry.name.endsWith('.test.ts')).map((entry) => join(entry.parentPath, entry.name)));
  }
  files.push(join(repoRoot, 'electron.vite.config.ts'), join(repoRoot, 'package-lock.json'));
  return files.sort();
}

async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await sourceFiles()) hash.update(relative(repoRoot, file)).update('\0').update(await readFile(file)).update('\0');
  return hash.digest('hex');
}

/**
 * The app as `npx electron-vite build` leaves it in out/ (main, preload, renderer), rebuilt
 * only when its sources changed since the last build this helper made. Tests of the shell
 * run the built bundle, not the sources, so they see what a packaged app would run.
 */
export async function ensureAppBuilt(): Promise<string> {
  const wanted = await sourceHash();
  if ((await readFile(stampFile, 'utf8').catch(() => '')) === wanted) return builtMainBundle;
  await promisify(execFile)(process.execPath, [join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: repoRoot,
    maxBuffer: 16 * 1024 * 1024,
  });
  await writeFile(stampFile, wanted);
  return builtMainBundle;
}
