import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { AppError, type ErrorCode } from '../../../../shared/errors.ts';

/**
 * Reads a file the operator named (a kubeconfig to preview or import) as text, only when it is
 * a regular file no larger than `maxBytes`. The file is opened once without blocking (a FIFO
 * would otherwise hang the open), checked with fstat on that same descriptor (so a path swapped
 * for a device or FIFO after a check is still caught), and read with a cap (so a file that grows
 * while it is read, or a procfs file that lies about its size, cannot exhaust memory).
 */
export async function readRegularTextFile(path: string, maxBytes: number, fail: { code: ErrorCode; what: string }): Promise<string> {
  const file = fileKind(fail.what);
  const kib = Math.round(maxBytes / 1024);
  const refuse = (why: string, problem: string, reason: FileProblem): AppError =>
    new AppError(fail.code, `The ${fail.what} ${path} ${why}.`, { source: path, problem }, { key: `environments.file.${file.kind}.${reason}`, params: { path, kib, ...file.params } });
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const [why, reason]: [string, FileProblem] =
      code === 'ENOENT' ? ['does not exist', 'missing'] : code === 'EACCES' ? ['cannot be read (permission denied)', 'denied'] : code === 'EISDIR' ? ['is a folder, not a file', 'folder'] : ['cannot be read', 'unreadable'];
    throw refuse(why, 'unreadable', reason);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw refuse('is not a regular file (a device, FIFO, socket or folder); choose the file itself', 'not-a-file', 'notFile');
    if (stats.size > maxBytes) throw refuse(`is larger than ${kib} KiB`, 'too-large', 'tooLarge');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null).catch(() => {
        throw refuse('cannot be read', 'unreadable', 'unreadable');
      });
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw refuse(`is larger than ${kib} KiB`, 'too-large', 'tooLarge');
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await handle.close();
  }
}

type FileProblem = 'missing' | 'denied' | 'folder' | 'unreadable' | 'notFile' | 'tooLarge';

/** Which `environments.file.*` sentences name the file: the callers' `what` is one of a few kinds. */
function fileKind(what: string): { kind: 'kubeconfig' | 'token' | 'ssh' | 'field'; params?: { field: string } } {
  if (what === 'token file') return { kind: 'token' };
  if (what === 'SSH file') return { kind: 'ssh' };
  const field = /^"(.*)" file$/.exec(what);
  if (field) return { kind: 'field', params: { field: field[1] ?? '' } };
  return { kind: 'kubeconfig' };
}
