// vitest globalSetup for the integration and e2e projects: starts the real test environment
// (scripts/testenv) once, hands its description to test files through provide/inject, and puts
// its client variables (DBUS_SESSION_BUS_ADDRESS for keytar) into process.env before vitest
// forks the workers, which copy process.env when they start.
import type { TestProject } from 'vitest/node';
import { PIECE_NAMES, startTestEnvironment, TEST_ENVIRONMENT_KEY, type PieceName, type TestEnvironment } from '../../scripts/testenv/index.ts';
import { killFolderProcessesNow } from '../../scripts/testenv/folder-cleanup.ts';
// Type-only: brings the ProvidedContext declaration that types project.provide below.
import type {} from './test-environment.ts';

interface SharedEnvironment {
  users: number;
  environment: Promise<TestEnvironment>;
  previousEnv: Record<string, string | undefined>;
  onExit?: () => void;
}

// Both projects list this file; when one `vitest run` runs both, they share one environment.
// A module variable is not enough because vitest may load this file once per project.
const SHARED = Symbol.for('kiops.testEnvironment');
type SharedHolder = { [SHARED]?: SharedEnvironment };
const holder = globalThis as SharedHolder;

/** KIOPS_TESTENV_PIECES=ssh,keyring starts only those (a quicker local run); tests needing others skip, or fail under CI. */
function requestedPieces(): PieceName[] | undefined {
  const listed = process.env.KIOPS_TESTENV_PIECES;
  if (listed === undefined || listed.trim() === '') return undefined;
  const names = listed.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(PIECE_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`KIOPS_TESTENV_PIECES: unknown piece(s) ${unknown.join(', ')}; known: ${PIECE_NAMES.join(', ')}`);
  return PIECE_NAMES.filter((name) => names.includes(name));
}

function acquire(): SharedEnvironment {
  const existing = holder[SHARED];
  if (existing !== undefined) {
    existing.users += 1;
    return existing;
  }
  const environment = startTestEnvironment({ owner: 'test-run', pieces: requestedPieces() });
  const shared: SharedEnvironment = { users: 1, environment, previousEnv: {} };
  holder[SHARED] = shared;
  environment.then(
    ({ description }) => {
      for (const [name, value] of Object.entries(description.env)) {
        shared.previousEnv[name] = process.env[name];
        process.env[name] = value;
      }
      // If the runner exits without teardown (an uncaught error, process.exit), kill what the
      // environment runs right away; the next start deletes the folder.
      shared.onExit = () => killFolderProcessesNow(description.folder);
      process.once('exit', shared.onExit);
    },
    () => {
      delete holder[SHARED];
    },
  );
  return shared;
}

async function release(shared: SharedEnvironment): Promise<void> {
  shared.users -= 1;
  if (shared.users > 0) return;
  delete holder[SHARED];
  if (shared.onExit !== undefined) process.off('exit', shared.onExit);
  for (const [name, value] of Object.entries(shared.previousEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await (await shared.environment).stop();
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = acquire();
  const { description } = await shared.environment;
  project.provide(TEST_ENVIRONMENT_KEY, description);
  const ready = PIECE_NAMES.filter((name) => description[name].status === 'ready');
  console.log(`[testenv] ${project.name}: ${ready.join(', ') || 'nothing'} ready in ${description.startupMs} ms (${description.folder})`);
  for (const name of PIECE_NAMES) {
    const piece = description[name];
    if (piece.status === 'missing') console.log(`[testenv] tests needing ${piece.message} will be skipped`);
  }
  return () => release(shared);
}
