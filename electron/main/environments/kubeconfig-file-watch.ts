import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

export interface KubeconfigFileWatchOptions {
  /** Told which watched files changed (content, replacement, removal, creation). */
  readonly onChange: (paths: string[]) => void;
  /** Quiet time after the last event before the files are compared (editors write in steps). */
  readonly debounceMs?: number;
  /** The stat comparison that also runs without events (network folders, missed events). */
  readonly pollMs?: number;
}

/**
 * Watches kubeconfig files the user imported. Editors and cloud CLIs often replace a file
 * (write a temporary one, rename it over), which ends a watch on the file itself; so the folder
 * is watched and events are filtered by name, and a periodic stat catches what events miss.
 * A file counts as changed when its inode, size, mtime or ctime differ from the last look.
 */
export class KubeconfigFileWatch {
  private readonly onChange: (paths: string[]) => void;
  private readonly debounceMs: number;
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly signatures = new Map<string, string>();
  private readonly poll: NodeJS.Timeout;
  private pending: NodeJS.Timeout | undefined;
  private closed = false;
  private comparing: Promise<void> = Promise.resolve();

  constructor(options: KubeconfigFileWatchOptions) {
    this.onChange = options.onChange;
    this.debounceMs = options.debounceMs ?? 300;
    this.poll = setInterval(() => void this.compare(), options.pollMs ?? 2_000);
    this.poll.unref();
  }

  /** Replaces the set of watched files; files already watched keep their last look. */
  async watch(paths: readonly string[]): Promise<void> {
    const wanted = new Set(paths);
    for (const path of [...this.signatures.keys()]) if (!wanted.has(path)) this.signatures.delete(path);
    for (const path of wanted) if (!this.signatures.has(path)) this.signatures.set(path, await signature(path));
    const folders = new Set([...wanted].map((path) => dirname(path)));
    for (const [folder, watcher] of this.watchers) {
      if (!folders.has(folder)) {
        watcher.close();
        this.watchers.delete(folder);
      }
    }
    for (const folder of folders) {
      if (this.watchers.has(folder) || this.closed) continue;
      try {
        const watcher = watch(folder, { persistent: false }, (_event, name) => {
          if (name === null || [...this.signatures.keys()].some((path) => dirname(path) === folder && basename(path) === name.toString())) this.schedule();
        });
        watcher.on('error', () => {
          // the folder went away: the periodic stat still sees the file come back
          watcher.close();
          this.watchers.delete(folder);
        });
        this.watchers.set(folder, watcher);
      } catch {
        // a missing folder cannot be watched; the periodic stat covers it
      }
    }
  }

  close(): void {
    this.closed = true;
    clearInterval(this.poll);
    if (this.pending) clearTimeout(this.pending);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private schedule(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.compare();
    }, this.debounceMs);
    this.pending.unref();
  }

  /** One comparison at a time: the poll and an editor's events may meet. */
  private compare(): Promise<void> {
    this.comparing = this.comparing.then(() => this.compareNow());
    return this.comparing;
  }

  private async compareNow(): Promise<void> {
    const changed: string[] = [];
    for (const [path, before] of [...this.signatures]) {
      const now = await signature(path);
      if (now !== before && this.signatures.has(path)) {
        this.signatures.set(path, now);
        changed.push(path);
      }
    }
    // a folder watch lost earlier (folder removed and made again) is set up again here
    if (!this.closed && [...this.signatures.keys()].some((path) => !this.watchers.has(dirname(path)))) await this.watch([...this.signatures.keys()]);
    if (changed.length > 0 && !this.closed) this.onChange(changed);
  }
}

async function signature(path: string): Promise<string> {
  try {
    const info = await stat(path, { bigint: true });
    return `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
  } catch {
    return 'missing';
  }
}
