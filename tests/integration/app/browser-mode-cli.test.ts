import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestEnvironment } from '../../support/test-environment.ts';

// `npm run web` runs the main-process sources on plain Node, without vitest's transforms:
// an import that only works through a bundler (say, a named import from a CommonJS package)
// breaks the app there and nowhere else. Start the real CLI and talk to it.

describe('browser mode on plain Node', () => {
  const env = useTestEnvironment('keyring');
  const folder = mkdtempSync(join(tmpdir(), 'kiops-web-cli-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('starts, prints the URL with a token, serves the renderer and stops on SIGTERM', async () => {
    const rendererRoot = join(folder, 'renderer');
    mkdirSync(rendererRoot);
    writeFileSync(join(rendererRoot, 'index.html'), '<!doctype html><title>KIOPS test renderer</title>');

    const child = spawn(process.execPath, ['electron/main/web/cli.ts', '--port', '0', '--data-dir', join(folder, 'data'), '--renderer-root', rendererRoot], {
      env: { ...process.env, ...env.keyring.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        const match = /^Open: (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{20,})$/.exec(line);
        if (match?.[1]) resolve(match[1]);
      });
      void exited.then((code) => reject(new Error(`browser mode exited with ${code}: ${stderr}`)));
    });

    const page = await fetch(new URL('/', url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('KIOPS test renderer');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/Error|SyntaxError/);
  });
});
