import { accessSync, constants, openSync, readSync, closeSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { MissingPiece, PieceName } from './description.ts';

/** A program a piece needs and the Debian package that provides it (named in "missing" messages). */
export interface ToolRequirement {
  name: string;
  package: string;
  /** Extra check beyond "is executable"; returns why it does not fit, or null. */
  check?: (path: string) => string | null;
}

// Daemons live in sbin, which a non-root PATH often lacks.
const SBIN_DIRECTORIES = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

export function toolSearchPath(pathVariable: string | undefined): string[] {
  const fromPath = (pathVariable ?? '').split(delimiter).filter((entry) => entry !== '');
  return [...fromPath, ...SBIN_DIRECTORIES.filter((directory) => !fromPath.includes(directory))];
}

export function findExecutable(name: string, searchPath: readonly string[]): string | null {
  for (const directory of searchPath) {
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

export type ToolLookup = { ok: true; paths: Record<string, string> } | { ok: false; missing: string[] };

export function lookUpTools(requirements: readonly ToolRequirement[], searchPath: readonly string[]): ToolLookup {
  const paths: Record<string, string> = {};
  const missing: string[] = [];
  for (const requirement of requirements) {
    const path = findExecutable(requirement.name, searchPath);
    const problem = path === null ? null : (requirement.check?.(path) ?? null);
    if (path === null) missing.push(`${requirement.name} (package ${requirement.package})`);
    else if (problem !== null) missing.push(`${requirement.name} ${problem} (package ${requirement.package})`);
    else paths[requirement.name] = path;
  }
  return missing.length === 0 ? { ok: true, paths } : { ok: false, missing };
}

/** Looks a tool up after lookUpTools said it is there; a miss here is a programming error. */
export function toolPath(paths: Record<string, string>, name: string): string {
  const path = paths[name];
  if (path === undefined) throw new Error(`tool ${name} was not looked up`);
  return path;
}

export function missingPiece(piece: PieceName, missing: string[]): MissingPiece {
  return { status: 'missing', piece, reason: 'absent-tools', missing, message: `${piece}: missing ${missing.join(', ')}` };
}

export function notRequestedPiece(piece: PieceName): MissingPiece {
  return { status: 'missing', piece, reason: 'not-requested', missing: [], message: `${piece}: not started (not among the requested pieces)` };
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * The busybox copied into the image runs in an empty root filesystem, so it must not need a
 * dynamic loader: Debian's `busybox` package is dynamic, `busybox-static` is not.
 * An ELF file is dynamic when a program header has type PT_INTERP (3).
 */
export function staticBinaryProblem(path: string): string | null {
  const header = Buffer.alloc(64);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 64, 0);
    if (header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2) return 'is not a 64-bit ELF binary';
    const programHeaderOffset = Number(header.readBigUInt64LE(32));
    const entrySize = header.readUInt16LE(54);
    const entryCount = header.readUInt16LE(56);
    const table = Buffer.alloc(entrySize * entryCount);
    readSync(fd, table, 0, table.length, programHeaderOffset);
    for (let index = 0; index < entryCount; index += 1) {
      if (table.readUInt32LE(index * entrySize) === 3) return 'is dynamically linked (need the static build)';
    }
    return null;
  } finally {
    closeSync(fd);
  }
}
