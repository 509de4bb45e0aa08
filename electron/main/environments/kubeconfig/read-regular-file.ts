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
  const refuse = (why: string, problem: string): AppError => new AppError(fail.code, `The ${fail.what} ${path} ${why}.`, { source: path, problem });
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : code === 'EISDIR' ? 'is a folder, not a file' : 'cannot be read';
    throw refuse(why, 'unreadable');
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw refuse('is not a regular file (a device, FIFO, socket or folder); choose the file itself', 'not-a-file');
    if (stats.size > maxBytes) throw refuse(`is larger than ${Math.round(maxBytes / 1024)} KiB`, 'too-large');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null).catch(() => {
        throw refuse('cannot be read', 'unreadable');
      });
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw refuse(`is larger than ${Math.round(maxBytes / 1024)} KiB`, 'too-large');
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await handle.close();
  }
}
