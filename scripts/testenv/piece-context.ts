import type { ImageTarballs } from './busybox-image.ts';

/** What every piece's start() gets from startTestEnvironment. */
export interface PieceContext {
  /** The environment folder; each piece works in its own subfolder. */
  folder: string;
  /** Directories searched for tools, in order (PATH plus the sbin directories). */
  searchPath: string[];
  /** Deadline for one daemon to answer after it was started. */
  timeoutMs: number;
  /** Built once per environment, shared by the docker and podman imports. */
  imageTarballs: () => Promise<ImageTarballs>;
}
