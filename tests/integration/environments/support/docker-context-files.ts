import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';

const run = promisify(execFile);

/** Writes a context the way `docker context create` does: meta.json under sha256(name), TLS files beside it. */
export function writeDockerContext(configDir: string, name: string, host: string, tls?: { ca: string; cert: string; key: string }): void {
  const digest = createHash('sha256').update(name).digest('hex');
  const metaDir = join(configDir, 'contexts', 'meta', digest);
  mkdirSync(metaDir, { recursive: true });
  writeFileSync(join(metaDir, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
  if (!tls) return;
  const tlsDir = join(configDir, 'contexts', 'tls', digest, 'docker');
  mkdirSync(tlsDir, { recursive: true });
  writeFileSync(join(tlsDir, 'ca.pem'), tls.ca);
  writeFileSync(join(tlsDir, 'cert.pem'), tls.cert);
  writeFileSync(join(tlsDir, 'key.pem'), tls.key, { mode: 0o600 });
}

export function writeDockerConfig(configDir: string, currentContext: string | undefined): void {
  mkdirSync(configDir, { recursive: true });
  writeFileSync(join(configDir, 'config.json'), JSON.stringify(currentContext === undefined ? {} : { currentContext }));
}

export interface TestPki {
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  readonly dir: string;
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made by openssl in `dir`. */
export async function makeTestPki(dir: string): Promise<TestPki> {
  mkdirSync(dir, { recursive: true });
  const ssl = (args: string[]) => run('openssl', args, { cwd: dir });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await ssl(['req', '-x509', ...ec, '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=kiops test docker CA']);
  for (const [who, ext] of [
    ['server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'],
    ['client', 'extendedKeyUsage=clientAuth\n'],
  ] as const) {
    writeFileSync(join(dir, `${who}.ext`), ext);
    await ssl(['req', ...ec, '-keyout', `${who}-key.pem`, '-out', `${who}.csr`, '-subj', `/CN=kiops test ${who}`]);
    await ssl(['x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${who}-cert.pem`, '-days', '2', '-extfile', `${who}.ext`]);
  }
  const read = (file: string) => readFile(join(dir, file), 'utf8');
  return { ca: await read('ca.pem'), serverCert: await read('server-cert.pem'), serverKey: await read('server-key.pem'), clientCert: await read('client-cert.pem'), clientKey: await read('client-key.pem'), dir };
}

export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface TlsDockerd {
  readonly port: number;
  /** The daemon's own unix socket, for the test's setup only. */
  readonly docker: Docker;
  close(): Promise<void>;
}

/**
 * A private dockerd that listens on 127.0.0.1:<free port> with --tlsverify (client certificates
 * signed by the test CA only) and on a unix socket in `dir` for the test's own setup.
 */
export async function startTlsDockerd(dir: string, pki: TestPki): Promise<TlsDockerd> {
  const port = await freeTcpPort();
  const socketPath = join(dir, 'd.sock');
  writeFileSync(join(dir, 'daemon.json'), '{}\n');
  const log = openSync(join(dir, 'dockerd.log'), 'a');
  const daemon = spawn(
    'dockerd',
    [
      `--host=unix://${socketPath}`,
      `--host=tcp://127.0.0.1:${port}`,
      '--tlsverify',
      `--tlscacert=${join(pki.dir, 'ca.pem')}`,
      `--tlscert=${join(pki.dir, 'server-cert.pem')}`,
      `--tlskey=${join(pki.dir, 'server-key.pem')}`,
      `--data-root=${join(dir, 'data')}`,
      `--exec-root=${join(dir, 'x')}`,
      `--pidfile=${join(dir, 'dockerd.pid')}`,
      `--config-file=${join(dir, 'daemon.json')}`,
      '--storage-driver=vfs',
      '--iptables=false',
      '--ip6tables=false',
      '--ip-forward=false',
      '--ip-masq=false',
      '--bridge=none',
      '--shutdown-timeout=1',
    ],
    { detached: true, stdio: ['ignore', log, log], cwd: dir },
  );
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  const docker = new Docker({ socketPath, timeout: 5_000 });
  const close = async () => {
    if (daemon.exitCode === null && daemon.pid !== undefined) {
      try {
        process.kill(-daemon.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const killer = setTimeout(() => {
        try {
          if (daemon.pid !== undefined) process.kill(-daemon.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 15_000);
      await exited;
      clearTimeout(killer);
    }
  };
  // Positive signal: the daemon answers _ping on its own socket (it listens on TCP from the same moment).
  for (let waited = 0; ; waited += 100) {
    if (daemon.exitCode !== null) throw new Error(`dockerd exited early; see ${join(dir, 'dockerd.log')}`);
    const ok = await docker.ping().then(
      () => true,
      () => false,
    );
    if (ok) break;
    if (waited > 60_000) {
      await close();
      throw new Error(`dockerd did not answer within 60 s; see ${join(dir, 'dockerd.log')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { port, docker, close };
}
