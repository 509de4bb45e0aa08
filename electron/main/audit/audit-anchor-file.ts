import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import type { AnchorReading, SignedAnchor } from './audit-chain.ts';

export const auditAnchorFileName = 'audit-head.json';

const signedAnchorSchema = z.object({
  format: z.literal('kiops-audit-head/1'),
  seq: z.number().int().nonnegative(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  writtenAt: z.string(),
  mac: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * The audit chain's head, kept outside the database so that cutting rows off the end of the
 * table (or replacing the whole file) is noticed: the table cannot vouch for its own length.
 */
export class AuditAnchorFile {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  static inDataDir(dataDir: string): AuditAnchorFile {
    return new AuditAnchorFile(join(dataDir, auditAnchorFileName));
  }

  read(): AnchorReading {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return { kind: 'absent' };
      return { kind: 'unreadable', message: error instanceof Error ? error.message : String(error) };
    }
    return parseSignedAnchor(text);
  }

  /**
   * Replaces the file atomically and durably: a reader (or a crash) sees the old anchor or the
   * new one, never a torn write. temp + fsync + rename + fsync(dir), the rename being what
   * POSIX makes atomic and the directory fsync what makes the rename itself survive power loss.
   */
  write(anchor: SignedAnchor): void {
    const temporary = join(dirname(this.path), `.${basename(this.path)}.tmp`);
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(anchor)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.path);
    const directory = openSync(dirname(this.path), 'r');
    try {
      fsyncSync(directory);
    } finally {
      closeSync(directory);
    }
  }

  /** The same steps as `write`, off the main thread: the group-commit flusher uses this. */
  async writeAsync(anchor: SignedAnchor): Promise<void> {
    const temporary = join(dirname(this.path), `.${basename(this.path)}.tmp`);
    const file = await open(temporary, 'w', 0o600);
    try {
      await file.writeFile(`${JSON.stringify(anchor)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.path);
    const directory = await open(dirname(this.path), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }
}

/** Reads a signed anchor from text (the head file, or the keychain entry). */
export function parseSignedAnchor(text: string): AnchorReading {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'unreadable', message: 'it is not valid JSON' };
  }
  const parsed = signedAnchorSchema.safeParse(json);
  if (!parsed.success) return { kind: 'unreadable', message: 'it does not have the expected fields' };
  return { kind: 'present', anchor: parsed.data };
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
