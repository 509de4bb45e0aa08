import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The streaming-session limit shared by every app instance of one operator on one data dir.
 * Each running session holds a slot file `<operator>.<n>.slot` (n < limit) in the folder,
 * created with O_EXCL so two instances never take the same slot. A slot names its owner's pid
 * and that process's start time: a slot whose owner is gone (a crash, kill -9) is free again, and
 * a reused pid does not keep it alive. Slots are removed when their session ends and, for what
 * is left, when the process exits.
 */
export interface SlotOwner {
  readonly pid: number;
  /** The process's start time (Linux: /proc/PID/stat field 22); undefined where unknown. */
  readonly start: string | undefined;
}

export interface Slot {
  release(): void;
}

export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function alive(owner: SlotOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // Same pid, another process: the slot's owner is gone.
  return owner.start === undefined || processStart(owner.pid) === undefined || processStart(owner.pid) === owner.start;
}

const held = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const path of held) rmSync(path, { force: true });
  });
}

export class SessionSlots {
  private readonly dir: string;
  private readonly limit: number;
  private readonly self: SlotOwner;

  constructor(dir: string, limit: number, self: SlotOwner = { pid: process.pid, start: processStart(process.pid) }) {
    this.dir = dir;
    this.limit = limit;
    this.self = self;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** Takes a free slot for the operator, or undefined when all `limit` are held by live owners. */
  take(operatorId: string): Slot | undefined {
    for (let n = 0; n < this.limit; n += 1) {
      const path = this.slotPath(operatorId, n);
      if (!this.create(path)) {
        if (this.ownerAlive(path)) continue;
        this.reclaim(path);
        if (!this.create(path)) continue;
      }
      held.add(path);
      installExitHook();
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          held.delete(path);
          rmSync(path, { force: true });
        },
      };
    }
    return undefined;
  }

  /** Sessions the operator has running in every instance (slots of live owners). */
  running(operatorId: string): number {
    const prefix = `${operatorKey(operatorId)}.`;
    let count = 0;
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return 0;
    }
    for (const name of names) {
      if (name.startsWith(prefix) && name.endsWith('.slot') && this.ownerAlive(join(this.dir, name))) count += 1;
    }
    return count;
  }

  private slotPath(operatorId: string, n: number): string {
    return join(this.dir, `${operatorKey(operatorId)}.${n}.slot`);
  }

  private create(path: string): boolean {
    try {
      writeFileSync(path, JSON.stringify(this.self), { flag: 'wx', mode: 0o600 });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  }

  private ownerAlive(path: string): boolean {
    try {
      const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<SlotOwner>;
      if (typeof owner.pid !== 'number' || !Number.isInteger(owner.pid) || owner.pid <= 0) return false;
      return alive({ pid: owner.pid, start: typeof owner.start === 'string' ? owner.start : undefined });
    } catch (error) {
      if (!(error instanceof SyntaxError)) return (error as NodeJS.ErrnoException).code !== 'ENOENT';
      // Being written by another instance right now (created, not yet filled): held, unless old.
      try {
        return Date.now() - statSync(path).mtimeMs < 5_000;
      } catch {
        return false;
      }
    }
  }

  /** Moves a dead owner's slot aside (rename is atomic: one instance wins), then deletes it. */
  private reclaim(path: string): void {
    const aside = `${path}.stale-${this.self.pid}-${Math.random().toString(36).slice(2)}`;
    try {
      renameSync(path, aside);
    } catch {
      return;
    }
    if (this.ownerAlive(aside)) {
      // Another instance took the slot between our look and the rename: put it back.
      try {
        renameSync(aside, path);
      } catch {
        rmSync(aside, { force: true });
      }
      return;
    }
    rmSync(aside, { force: true });
  }
}

function operatorKey(operatorId: string): string {
  return Buffer.from(operatorId, 'utf8').toString('hex');
}
