import { readFile } from 'node:fs/promises';
import { Client } from 'ssh2';
import type { TestEnvironmentWith } from '../../support/test-environment.ts';
import type { CommandsCore } from './execution-support.ts';

type SshEnv = TestEnvironmentWith<'ssh' | 'docker'>;

export interface RemoteEngine {
  readonly environmentId: string;
  service(container: string): string;
}

/** A Docker environment reached over SSH (host key trusted), with one service per container. */
export async function addRemoteEngine(app: CommandsCore, env: SshEnv, ssh: { host: string; port: number } = env.ssh): Promise<RemoteEngine> {
  const identity = await app.client.call('sshIdentities.add', { kind: 'private-key', name: 'remote key', privateKey: await readFile(env.ssh.keys.ed25519.privateKeyPath, 'utf8') });
  const engine = await app.client.call('environments.addEngine', {
    name: 'remote docker',
    engine: 'docker',
    socketPath: env.docker.socketPath,
    connection: { selected: 'ssh', methods: ['ssh'], ssh: { host: ssh.host, port: ssh.port, username: env.ssh.user, identityId: identity.id } },
  });
  const first = await app.client.call('environments.testConnection', { id: engine.id });
  if (first.state !== 'needs-host-key-confirmation') throw new Error(`expected a host key question, got ${JSON.stringify(first)}`);
  await app.client.call('hostKeys.trust', { environmentId: engine.id, fingerprint: first.fingerprint });
  return { environmentId: engine.id, service: (container) => `${engine.id}:container:${container}` };
}

/** `pgrep -f` on the SSH host over a separate SSH connection: the pids of processes matching `pattern`. */
export async function remotePids(env: SshEnv, pattern: string): Promise<string[]> {
  const privateKey = await readFile(env.ssh.keys.ed25519.privateKeyPath, 'utf8');
  return new Promise((resolve, reject) => {
    const client = new Client();
    client
      .on('ready', () => {
        // The bracket keeps the pgrep command line itself from matching.
        const bracketed = `[${pattern.slice(0, 1)}]${pattern.slice(1)}`;
        client.exec(`pgrep -f '${bracketed}' || true`, (error, channel) => {
          if (error) {
            client.end();
            reject(error);
            return;
          }
          let out = '';
          channel.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
          channel.stderr.resume();
          channel.on('close', () => {
            client.end();
            resolve(out.split('\n').filter((line) => line.trim() !== ''));
          });
        });
      })
      .on('error', reject)
      .connect({ host: env.ssh.host, port: env.ssh.port, username: env.ssh.user, privateKey });
  });
}
