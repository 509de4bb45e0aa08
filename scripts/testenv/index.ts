import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImageTarballs, type ImageTarballs } from './busybox-image.ts';
import { TestEnvironmentStartError } from './daemon-process.ts';
import { PIECE_NAMES, type MissingPiece, type PieceName, type TestEnvironmentDescription } from './description.ts';
import { DOCKER_TOOLS, startDockerEngine, stopDockerEngine } from './docker-engine.ts';
import { ENVIRONMENT_PREFIX, removeAbandonedEnvironments, removeEnvironmentFolder, writeOwner } from './folder-cleanup.ts';
import { isRoot, lookUpTools, missingPiece, notRequestedPiece, staticBinaryProblem, toolSearchPath, type ToolRequirement } from './host-tools.ts';
import type { PieceContext } from './piece-context.ts';
import { PODMAN_TOOLS, podmanRuntimeMissing, startPodmanEngine, stopPodmanEngine } from './podman-engine.ts';
import { KEYRING_TOOLS, startSecretService, stopSecretService } from './secret-service.ts';
import { SSH_TOOLS, startSshServer, stopSshServer } from './ssh-server.ts';

export type * from './description.ts';
export { missingPieces, PIECE_NAMES, TEST_ENVIRONMENT_KEY } from './description.ts';
export { TestEnvironmentStartError } from './daemon-process.ts';

export interface StartTestEnvironmentOptions {
  /** Pieces to start; the others are reported as not requested. Default: all four. */
  pieces?: readonly PieceName[];
  /** Missing tools are an error instead of a "missing" piece. Default: CI === 'true'. */
  strict?: boolean;
  /** How long one daemon may take to answer after it was started. Default 60 s (CI runs on 2 cores). */
  timeoutMs?: number;
  /** Where the private folder is made. Default: the OS temp folder. */
  parentFolder?: string;
  /** Directories (PATH syntax) searched for the tools, exactly as given. Default: process.env.PATH plus the sbin directories. */
  searchPath?: string;
  /** "test-run" folders are swept by later starts once their process is gone; "cli" folders wait for `down`. */
  owner?: 'test-run' | 'cli';
}

export interface TestEnvironment {
  description: TestEnvironmentDescription;
  /** Stops every daemon (process groups), kills leftovers, unmounts and deletes the folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** Raised in strict mode (CI) when tools are absent: CI must never skip silently. */
export class TestEnvironmentMissingError extends Error {
  override name = 'TestEnvironmentMissingError';
  readonly missing: MissingPiece[];
  constructor(missing: MissingPiece[]) {
    super(`test environment incomplete (strict mode, CI=true): ${missing.map((piece) => piece.message).join('; ')}. Run scripts/install-system-packages.sh as root.`);
    this.missing = missing;
  }
}

const BUSYBOX: ToolRequirement = { name: 'busybox', package: 'busybox-static', check: staticBinaryProblem };

const REQUIREMENTS: Record<PieceName, ToolRequirement[]> = {
  docker: [...DOCKER_TOOLS, BUSYBOX],
  podman: [...PODMAN_TOOLS, BUSYBOX],
  ssh: SSH_TOOLS,
  keyring: KEYRING_TOOLS,
};

type PieceDescription = TestEnvironmentDescription[PieceName];

function checkTools(piece: PieceName, searchPath: string[]): { ok: true; tools: Record<string, string> } | { ok: false; missing: MissingPiece } {
  const lookup = lookUpTools(REQUIREMENTS[piece], searchPath);
  const missing = lookup.ok ? [] : [...lookup.missing];
  if ((piece === 'docker' || piece === 'podman') && !isRoot()) missing.push(`root privileges (this environment runs ${piece} rootful)`);
  if (piece === 'podman') {
    const runtime = podmanRuntimeMissing(searchPath);
    if (runtime !== null) missing.push(runtime);
  }
  if (!lookup.ok || missing.length > 0) return { ok: false, missing: missingPiece(piece, missing) };
  return { ok: true, tools: lookup.paths };
}

async function startPiece(piece: PieceName, context: PieceContext, tools: Record<string, string>): Promise<PieceDescription> {
  switch (piece) {
    case 'docker':
      return startDockerEngine(context, tools);
    case 'podman':
      return startPodmanEngine(context, tools);
    case 'ssh':
      return startSshServer(context, tools);
    case 'keyring':
      return startSecretService(context, tools);
  }
}

async function stopPiece(description: PieceDescription, folder: string): Promise<void> {
  if (description.status === 'missing') return;
  switch (description.piece) {
    case 'docker':
      return stopDockerEngine(description, folder);
    case 'podman':
      return stopPodmanEngine(description, folder);
    case 'ssh':
      return stopSshServer(description, folder);
    case 'keyring':
      return stopSecretService(description, folder);
  }
}

/** Stops what a description lists, then removes its folder. Works from the description alone (CLI `down`). */
export async function stopDescribedEnvironment(description: TestEnvironmentDescription): Promise<void> {
  await Promise.all(PIECE_NAMES.map((name) => stopPiece(description[name], description.folder).catch(() => undefined)));
  await removeEnvironmentFolder(description.folder);
}

function onceShared<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | null = null;
  return () => (promise ??= make());
}

export async function startTestEnvironment(options: StartTestEnvironmentOptions = {}): Promise<TestEnvironment> {
  const began = Date.now();
  const requested = new Set(options.pieces ?? PIECE_NAMES);
  const strict = options.strict ?? process.env.CI === 'true';
  const parent = options.parentFolder ?? tmpdir();
  const searchPath = options.searchPath === undefined ? toolSearchPath(process.env.PATH) : options.searchPath.split(':').filter((entry) => entry !== '');

  const checks = new Map(PIECE_NAMES.map((name) => [name, requested.has(name) ? checkTools(name, searchPath) : null] as const));
  const missing = [...checks.values()].flatMap((check) => (check !== null && !check.ok ? [check.missing] : []));
  if (strict && missing.length > 0) throw new TestEnvironmentMissingError(missing);

  await removeAbandonedEnvironments(parent);
  const folder = mkdtempSync(join(parent, ENVIRONMENT_PREFIX));
  writeOwner(folder, options.owner ?? 'test-run');
  const busybox = (() => {
    for (const check of checks.values()) if (check?.ok === true && check.tools.busybox !== undefined) return check.tools.busybox;
    return null;
  })();
  const context: PieceContext = {
    folder,
    searchPath,
    timeoutMs: options.timeoutMs ?? 60_000,
    imageTarballs: onceShared<ImageTarballs>(() => {
      if (busybox === null) throw new Error('no static busybox to build the test image from');
      return buildImageTarballs(join(folder, 'image'), busybox);
    }),
  };

  // The four pieces are independent: start them side by side; one failure stops them all.
  const results = await Promise.allSettled(
    PIECE_NAMES.map(async (name): Promise<PieceDescription> => {
      const check = checks.get(name);
      if (check === null || check === undefined) return notRequestedPiece(name);
      if (!check.ok) return check.missing;
      return startPiece(name, context, check.tools);
    }),
  );
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  if (failures.length > 0) {
    await Promise.all(started.map((piece) => stopPiece(piece, folder).catch(() => undefined)));
    await removeEnvironmentFolder(folder).catch(() => undefined);
    const messages = failures.map((failure) => (failure instanceof Error ? failure.message : String(failure)));
    throw new TestEnvironmentStartError(`test environment failed to start:\n${messages.join('\n\n')}`);
  }
  const piece = <N extends PieceName>(name: N): TestEnvironmentDescription[N] => {
    const found = started.find((description) => description.piece === name);
    if (found === undefined) throw new Error(`piece ${name} has no result`);
    return found as TestEnvironmentDescription[N];
  };
  const keyring = piece('keyring');
  const description: TestEnvironmentDescription = {
    version: 1,
    folder,
    startedAt: new Date(began).toISOString(),
    startupMs: Date.now() - began,
    strict,
    docker: piece('docker'),
    podman: piece('podman'),
    ssh: piece('ssh'),
    keyring,
    env: keyring.status === 'ready' ? { ...keyring.env } : {},
  };
  writeFileSync(join(folder, 'description.json'), `${JSON.stringify(description, null, 2)}\n`);
  let stopping: Promise<void> | null = null;
  return {
    description,
    stop: () => (stopping ??= stopDescribedEnvironment(description)),
  };
}
