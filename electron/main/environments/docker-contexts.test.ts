import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.ts';
import { contextDigest, dockerEndpointOf } from './docker-contexts.ts';

// The Docker host spellings a context or DOCKER_HOST may carry, generated over users, hosts and ports.
describe('dockerEndpointOf', () => {
  const hosts = ['build.example.com', '10.0.0.7', 'localhost', '[::1]'];
  const bare = (host: string) => host.replace(/^\[(.*)\]$/, '$1');

  it.each(hosts.flatMap((host) => [undefined, 22, 2222].flatMap((port) => [undefined, 'deploy', 'a.b-c_d'].map((user) => ({ host, port, user })))))(
    'ssh://$user@$host:$port',
    ({ host, port, user }) => {
      const url = `ssh://${user ? `${user}@` : ''}${host}${port ? `:${port}` : ''}`;
      expect(dockerEndpointOf(url, false)).toEqual({ kind: 'ssh', host: bare(host), port: port ?? 22, ...(user ? { username: user } : {}) });
    },
  );

  it.each(hosts.flatMap((host) => [undefined, 2375, 2376, 12345].flatMap((port) => [true, false].map((tls) => ({ host, port, tls })))))('tcp://$host:$port tls=$tls', ({ host, port, tls }) => {
    expect(dockerEndpointOf(`tcp://${host}${port ? `:${port}` : ''}`, tls)).toEqual({ kind: 'tcp', host: bare(host), port: port ?? (tls ? 2376 : 2375), tls, skipTlsVerify: false });
  });

  it.each(['/var/run/docker.sock', '/run/user/1000/podman/podman.sock', '/tmp/a b.sock'])('unix://%s', (path) => {
    expect(dockerEndpointOf(`unix://${path}`, false)).toEqual({ kind: 'unix', socketPath: path });
  });

  it.each(['unix://relative.sock', 'npipe:////./pipe/docker_engine', 'fd://', 'not a url', 'ssh://user:secret@host', 'tcp://'])('refuses %s with a readable message', (host) => {
    expect(() => dockerEndpointOf(host, false)).toThrow(AppError);
  });

  it('finds a context folder by the sha256 of its name, as the CLI does', () => {
    expect(contextDigest('default')).toBe('37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f');
  });
});
