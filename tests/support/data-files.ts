import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DataFile {
  /** Relative to the folder scanned. */
  readonly name: string;
  readonly path: string;
  readonly bytes: Buffer;
}

const vanished = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Every regular file under `dir` with its bytes, for tests that look for secrets where the app
 * keeps its data. The folder is live while the app runs: a file written to a temporary name and
 * renamed into place (the audit head after a group commit, settings) can vanish between listing
 * and reading. It is skipped: its bytes are in the file it became, which is read after the rename.
 */
export function dataFiles(dir: string): DataFile[] {
  const files: DataFile[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    try {
      files.push({ name: path.slice(dir.length + 1), path, bytes: readFileSync(path) });
    } catch (error) {
      if (!vanished(error)) throw error;
    }
  }
  return files;
}
