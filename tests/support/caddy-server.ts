// A private Caddy (Debian package `caddy`) for Domain Settings tests: admin API and one HTTP
// server on loopback ports of its own, state in a temp folder, stopped by its pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CaddyServer {
  readonly adminUrl: string;
  readonly httpPort: number;
  /** GET through Caddy's HTTP server with the given Host header. */
  get(host: string, path: string): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

export const caddyBinary = '/usr/bin/caddy';
export const caddyMissing = existsSync(caddyBinary) ? null : 'caddy: missing /usr/bin/caddy (package caddy)';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `adminListen`: where the admin API listens (default a free loopback port). */
export async function startCaddy(options: { adminListen?: string } = {}): Promise<CaddyServer> {
  const folder = mkdtempSync(join(tmpdir(), 'kiops-caddy-'));
  const [adminPort, httpPort] = [await freePort(), await freePort()];
  const adminListen = options.adminListen ?? `127.0.0.1:${adminPort}`;
  const config = {
    admin: { listen: adminListen },
    storage: { module: 'file_system', root: join(folder, 'data') },
    apps: { http: { servers: { srv0: { listen: [`127.0.0.1:${httpPort}`], automatic_https: { disable: true }, routes: [] } } } },
  };
  writeFileSync(join(folder, 'caddy.json'), JSON.stringify(config));
  const child: ChildProcess = spawn(caddyBinary, ['run', '--config', join(folder, 'caddy.json')], {
    cwd: folder,
    env: { PATH: '/usr/bin:/bin', HOME: folder, XDG_DATA_HOME: join(folder, 'data'), XDG_CONFIG_HOME: join(folder, 'config') },
    stdio: 'ignore',
  });
  const adminUrl = `http://${adminListen}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ok = await fetch(`${adminUrl}/config/`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(folder, { recursive: true, force: true });
      throw new Error(`caddy did not answer on ${adminUrl} (exit code ${String(child.exitCode)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    adminUrl,
    httpPort,
    async get(host, path) {
      const { request } = await import('node:http');
      return new Promise((resolve, reject) => {
        const outgoing = request({ host: '127.0.0.1', port: httpPort, path, headers: { Host: host } }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
        outgoing.on('error', reject);
        outgoing.end();
      });
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
