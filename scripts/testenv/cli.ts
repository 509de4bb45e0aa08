// Manual use: `node scripts/testenv/cli.ts up [--state FILE] [--pieces docker,ssh]` starts the
// environment, writes its JSON description to FILE and prints it; the daemons keep running after
// this process exits. `node scripts/testenv/cli.ts down [--state FILE]` stops it and deletes its folder.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PIECE_NAMES, type PieceName, type TestEnvironmentDescription } from './description.ts';
import { startTestEnvironment, stopDescribedEnvironment } from './index.ts';

const USAGE = 'usage: node scripts/testenv/cli.ts up|down|status [--state FILE] [--pieces docker,podman,ssh,keyring]';

function isPieceName(value: string): value is PieceName {
  return (PIECE_NAMES as readonly string[]).includes(value);
}

function readState(path: string): TestEnvironmentDescription | null {
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, 'utf8')) as TestEnvironmentDescription;
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { state: { type: 'string' }, pieces: { type: 'string' } },
  });
  const statePath = values.state ?? join(tmpdir(), 'kiops-testenv.json');
  const command = positionals[0];

  if (command === 'up') {
    const running = readState(statePath);
    if (running !== null && existsSync(running.folder)) {
      process.stderr.write(`an environment is already up (${running.folder}); run "down" first\n`);
      return 1;
    }
    const requested = values.pieces?.split(',').map((name) => name.trim()) ?? [...PIECE_NAMES];
    const unknown = requested.filter((name) => !isPieceName(name));
    if (unknown.length > 0) {
      process.stderr.write(`unknown piece(s): ${unknown.join(', ')}\n${USAGE}\n`);
      return 2;
    }
    const environment = await startTestEnvironment({ pieces: requested.filter(isPieceName), owner: 'cli' });
    writeFileSync(statePath, `${JSON.stringify(environment.description, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(environment.description, null, 2)}\n`);
    process.stderr.write(`test environment up in ${environment.description.startupMs} ms; description written to ${statePath}\n`);
    for (const name of PIECE_NAMES) {
      const piece = environment.description[name];
      if (piece.status === 'missing' && piece.reason === 'absent-tools') process.stderr.write(`${piece.message}\n`);
    }
    return 0;
  }

  if (command === 'down') {
    const running = readState(statePath);
    if (running === null) {
      process.stderr.write(`no environment described in ${statePath}\n`);
      return 0;
    }
    await stopDescribedEnvironment(running);
    rmSync(statePath, { force: true });
    process.stderr.write(`test environment in ${running.folder} stopped and removed\n`);
    return 0;
  }

  if (command === 'status') {
    const running = readState(statePath);
    process.stdout.write(running === null ? 'down\n' : `${JSON.stringify(running, null, 2)}\n`);
    return 0;
  }

  process.stderr.write(`${USAGE}\n`);
  return 2;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
