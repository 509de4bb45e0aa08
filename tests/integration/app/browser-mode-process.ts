import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** `npm run web` as a user starts it: the CLI on plain Node, with its own data folder. */
export interface BrowserModeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly port: number;
  stderr(): string;
  readonly exited: Promise<number | null>;
}

export async function startBrowserMode(folder: string, env: NodeJS.ProcessEnv): Promise<BrowserModeProcess> {
  const rendererRoot = join(folder, 'renderer');
  mkdirSync(rendererRoot, { recursive: true });
  writeFileSync(join(rendererRoot, 'index.html'), '<!doctype html><title>KIOPS test renderer</title>');
  const child = spawn(process.execPath, ['electron/main/web/cli.ts', '--port', '0', '--data-dir', join(folder, 'data'), '--renderer-root', rendererRoot], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /^Open: (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{20,})$/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`browser mode exited with ${code}: ${stderr}`)));
  });
  const parsed = new URL(url);
  return { child, url, origin: parsed.origin, token: parsed.hash.replace('#token=', ''), port: Number(parsed.port), stderr: () => stderr, exited };
}
