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
  type ReadyPieces,
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
 * Stand-ins for a missing piece, so a test file's collection-time code (building clients,
 * it.each tables) still runs while every test is skipped. They point nowhere: a path that does
 * not exist, port 0, pid 0.
 */
function placeholder<N extends PieceName>(name: N, message: string): ReadyPieces[N] {
  const nowhere = `/nonexistent/kiops-testenv-missing-${name}`;
  const log = `${nowhere}/log`;
  const cli = { command: `${nowhere}/cli`, args: [], env: {} };
  const image = (reference: string, release: string) => ({ reference, id: 'sha256:missing', release });
  const engine = {
    status: 'ready' as const,
    socketPath: `${nowhere}/engine.sock`,
    host: `unix://${nowhere}/engine.sock`,
    engineVersion: message,
    apiVersion: '0',
    pid: 0,
    logPath: log,
    cli,
    images: { version1: image('kiops/busybox:1', '1'), version2: image('kiops/busybox:2', '2'), latest: image('kiops/busybox:latest', '2') },
  };
  const key = (type: string, passphrase: string | null = null) => ({
    type,
    privateKeyPath: `${nowhere}/key`,
    publicKeyPath: `${nowhere}/key.pub`,
    publicKey: '',
    fingerprint: '',
    passphrase,
  });
  const pieces: ReadyPieces = {
    docker: { ...engine, piece: 'docker', dataRoot: nowhere },
    podman: { ...engine, piece: 'podman', graphRoot: nowhere, runRoot: nowhere, remoteCli: cli },
    ssh: {
      status: 'ready',
      piece: 'ssh',
      host: '127.0.0.1',
      port: 0,
      user: 'missing',
      pid: 0,
      logPath: log,
      configPath: nowhere,
      hostKey: { type: 'ssh-ed25519', publicKey: '', fingerprint: '' },
      keys: { ed25519: key('ssh-ed25519'), rsa: key('ssh-rsa'), ecdsa: key('ecdsa-sha2-nistp256'), ed25519WithPassphrase: key('ssh-ed25519', 'missing') },
    },
    keyring: {
      status: 'ready',
      piece: 'keyring',
      busAddress: `unix:path=${nowhere}/bus`,
      busPid: 0,
      keyringPid: 0,
      unlockPassword: '',
      home: nowhere,
      logPath: log,
      secretToolPath: `${nowhere}/secret-tool`,
      env: {},
    },
  };
  return pieces[name];
}

/**
 * The description with `pieces` known ready. Call it at the top of a test file or describe
 * block. If a piece is missing locally, every test in that scope is skipped with a message
 * naming what is missing, and the missing pieces are inert stand-ins (so building clients at
 * collection time still works). beforeAll hooks still run then: a suite that connects in
 * beforeAll should use describeWithEnvironment, which skips hooks too.
 */
export function useTestEnvironment<P extends PieceName>(...pieces: P[]): TestEnvironmentWith<P> {
  const description = testEnvironment();
  if (hasPieces(description, pieces)) return description;
  const missing = missingPieces(description, pieces);
  failIfStrict(description, missing);
  const message = skipMessage(missing);
  beforeEach((context) => context.skip(message));
  const standIns: Partial<ReadyPieces> = {};
  for (const piece of missing) Object.assign(standIns, { [piece.piece]: placeholder(piece.piece, message) });
  const withStandIns = { ...description, ...standIns };
  if (!hasPieces(withStandIns, pieces)) throw new Error('stand-ins must cover every missing piece');
  return withStandIns;
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
