// How integration and e2e tests get the real test environment started by global-setup.ts.
//
//   const env = useTestEnvironment('docker', 'ssh');   // top of a file or describe block
//   it('…', async () => { new Docker({ socketPath: env.docker.socketPath }) … });
//
// When a piece's tools are absent on a developer machine, every test in that scope is skipped
// with a message naming what is missing; under CI=true the same situation fails the run.
import { execFile } from 'node:child_process';
import { beforeEach, describe, inject, it } from 'vitest';
import {
  missingPieces,
  TEST_ENVIRONMENT_KEY,
  type CommandLine,
  type MissingPiece,
  type PieceName,
  type TestEnvironmentDescription,
  type TestEnvironmentWith,
} from '../../scripts/testenv/description.ts';

export type * from '../../scripts/testenv/description.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    [TEST_ENVIRONMENT_KEY]: TestEnvironmentDescription;
  }
}

export class TestEnvironmentUnavailable extends Error {
  override name = 'TestEnvironmentUnavailable';
}

/** The whole description, ready and missing pieces alike. */
export function testEnvironment(): TestEnvironmentDescription {
  const description = inject(TEST_ENVIRONMENT_KEY);
  if (description === undefined) {
    throw new TestEnvironmentUnavailable('no test environment: this vitest project does not run tests/support/global-setup.ts (only integration and e2e do)');
  }
  return description;
}

function hasPieces<P extends PieceName>(description: TestEnvironmentDescription, pieces: readonly P[]): description is TestEnvironmentDescription & TestEnvironmentWith<P> {
  return missingPieces(description, pieces).length === 0;
}

function skipMessage(missing: readonly MissingPiece[]): string {
  return `skipped, test environment incomplete: ${missing.map((piece) => piece.message).join('; ')}`;
}

function failIfStrict(description: TestEnvironmentDescription, missing: readonly MissingPiece[]): void {
  if (description.strict || process.env.CI === 'true') {
    throw new TestEnvironmentUnavailable(`CI must not skip: ${missing.map((piece) => piece.message).join('; ')}`);
  }
}

/**
 * The description with `pieces` known ready. Call it at the top of a test file or describe
 * block. If a piece is missing locally, every test in that scope is skipped with a message naming
 * what is missing, and reading a missing piece from the result throws that message (so a
 * beforeAll that uses it fails loudly instead of silently; use describeWithEnvironment when a
 * suite has such hooks).
 */
export function useTestEnvironment<P extends PieceName>(...pieces: P[]): TestEnvironmentWith<P> {
  const description = testEnvironment();
  if (hasPieces(description, pieces)) return description;
  const missing = missingPieces(description, pieces);
  failIfStrict(description, missing);
  const message = skipMessage(missing);
  beforeEach((context) => context.skip(message));
  const absent = new Set<string | symbol>(missing.map((piece) => piece.piece));
  return new Proxy(description, {
    get(target, property, receiver) {
      if (absent.has(property)) throw new TestEnvironmentUnavailable(message);
      return Reflect.get(target, property, receiver) as unknown;
    },
  }) as TestEnvironmentDescription & TestEnvironmentWith<P>;
}

/**
 * A describe block that runs only when `pieces` are ready; otherwise (locally) it holds one
 * skipped test whose note names what is missing, and neither its body nor its hooks run.
 */
export function describeWithEnvironment<P extends PieceName>(pieces: readonly P[], name: string, body: (env: TestEnvironmentWith<P>) => void): void {
  const description = testEnvironment();
  if (hasPieces(description, pieces)) {
    describe(name, () => body(description));
    return;
  }
  const missing = missingPieces(description, pieces);
  failIfStrict(description, missing);
  describe(name, () => {
    it(`needs ${pieces.join(', ')}`, (context) => context.skip(skipMessage(missing)));
  });
}

export interface CommandOutput {
  stdout: string;
  stderr: string;
}

/** Runs a described command line (e.g. `env.docker.cli` with ['ps']) and resolves its output; rejects with stderr. */
export function runCommandLine(commandLine: CommandLine, args: readonly string[], timeoutMs = 30_000): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      commandLine.command,
      [...commandLine.args, ...args],
      { env: { ...process.env, ...commandLine.env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) resolve({ stdout, stderr });
        else reject(new Error(`${commandLine.command} ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      },
    );
  });
}
