import { describe, expect, it } from 'vitest';
import type { BlockRule, CommandMode } from './command-decision.ts';
import type { EngineObjects } from './engine-membership.ts';
import { decideEngineCommand, type EngineTarget } from './engine-policy.ts';
import { hostToolNames } from './host-commands.ts';
import { tokenizeCommandLine } from './tokenize.ts';

const objects: EngineObjects = {
  containers: [
    { id: 'a1'.padEnd(64, '0'), names: ['web'], member: true },
    { id: 'b2'.padEnd(64, '0'), names: ['other-db-1'], member: false },
  ],
  images: [
    { id: 'c3'.padEnd(64, '0'), refs: ['old:1'], member: true },
    { id: 'd4'.padEnd(64, '0'), refs: ['other:2'], member: false },
  ],
  volumes: [{ name: 'web-data', member: true }, { name: 'db-data', member: false }],
  networks: [{ id: 'e5'.padEnd(64, '0'), name: 'shop_default', member: true }, { id: 'f6'.padEnd(64, '0'), name: 'other_default', member: false }],
};
const hostTools = new Map(hostToolNames.map((name) => [name, `/usr/bin/${name}`]));
const docker: EngineTarget = { engine: 'docker', endpoint: 'unix:///run/kiops/docker.sock', objects, hostTools };
const podman: EngineTarget = { engine: 'podman', endpoint: 'unix:///run/kiops/podman.sock', objects, hostTools };
const inWeb: EngineTarget = { ...docker, container: 'web' };

function decide(line: string, target: EngineTarget = docker, mode: CommandMode = 'one-shot', production = false, confirmation?: string) {
  const tokens = tokenizeCommandLine(line);
  if (!tokens.ok) return tokens.refusal;
  return decideEngineCommand({ argv: tokens.argv, mode, target, production, ...(confirmation === undefined ? {} : { confirmation }) });
}

const D = ['docker', '--host=<engine-endpoint>'];
const P = ['podman', '--url=<engine-endpoint>'];

const allowed: [string, EngineTarget, string[], ('logs' | 'events' | 'other')?][] = [
  ['docker ps', docker, [...D, 'ps']],
  ['docker ps -aq', docker, [...D, 'ps', '--all', '--quiet']],
  ['docker container ls --all', docker, [...D, 'ps', '--all']],
  ["docker ps --format '{{.Names}}'", docker, [...D, 'ps', '--format={{.Names}}']],
  ['docker images', docker, [...D, 'images']],
  ['docker image ls', docker, [...D, 'images']],
  ['docker logs web', docker, [...D, 'logs', 'web'], 'logs'],
  ['docker logs -n 50 -t web', docker, [...D, 'logs', '--tail=50', '--timestamps', 'web'], 'logs'],
  ['docker container logs --since 10m web', docker, [...D, 'logs', '--since=10m', 'web'], 'logs'],
  ['docker inspect web', docker, [...D, 'inspect', 'web']],
  ['docker stats --no-stream', docker, [...D, 'stats', '--no-stream']],
  ['docker top web aux', docker, [...D, 'top', 'web', 'aux']],
  ['docker events --since 1h --until 0s', docker, [...D, 'events', '--since=1h', '--until=0s'], 'events'],
  ['docker exec web ls -la /', docker, [...D, 'exec', 'web', 'ls', '-la', '/']],
  ['docker exec -e A=1 -w /app web env', docker, [...D, 'exec', '--env=A=1', '--workdir=/app', 'web', 'env']],
  ['docker exec web ls -it', docker, [...D, 'exec', 'web', 'ls', '-it']],
  ['docker exec --interactive=false web ls', docker, [...D, 'exec', 'web', 'ls']],
  ['docker restart -t 5 web', docker, [...D, 'restart', '--time=5', 'web']],
  ['docker image rm old:1', docker, [...D, 'rmi', 'old:1']],
  ['docker system df', docker, [...D, 'system', 'df']],
  ['podman ps -a', podman, [...P, 'ps', '--all']],
  ['podman logs web', podman, [...P, 'logs', 'web'], 'logs'],
  ['ps aux', docker, ['/usr/bin/ps', 'aux']],
  ['free -m', docker, ['/usr/bin/free', '-m']],
  ['df -h', docker, ['/usr/bin/df', '-h']],
  ['netstat -tlnp', docker, ['/usr/bin/netstat', '-tlnp']],
  ['ss -tlnp', docker, ['/usr/bin/ss', '-tlnp']],
  ['top -b -n 1', docker, ['/usr/bin/top', '-b', '-n', '1']],
  ['uptime', docker, ['/usr/bin/uptime']],
  ['env', docker, ['/usr/bin/env']],
  ['ip addr show', docker, ['/usr/bin/ip', 'addr', 'show']],
  ['tail -n 20 /var/log/syslog', docker, ['/usr/bin/tail', '-n', '20', '/var/log/syslog'], 'logs'],
  ['ps aux', inWeb, [...D, 'exec', 'web', 'ps', 'aux']],
  ["sh -c 'ls | wc -l'", inWeb, [...D, 'exec', 'web', 'sh', '-c', 'ls | wc -l']],
];

describe('engine policy: allowed commands become this exact argv', () => {
  it.each(allowed)('%s', (line, target, argv, kind = 'other') => {
    expect(decide(line, target)).toMatchObject({ decision: 'allow', auditArgv: argv, kind });
  });

  it('injects the real endpoint into the argv that runs', () => {
    expect(decide('docker ps')).toMatchObject({ argv: ['docker', '--host=unix:///run/kiops/docker.sock', 'ps'] });
    expect(decide('docker ps', { engine: 'docker' })).toMatchObject({ argv: ['docker', 'ps'] });
  });
});

const blocked: [string, EngineTarget, BlockRule][] = [
  ['docker exec -it web sh', docker, 'interactive'],
  ['docker exec -ti web sh', docker, 'interactive'],
  ['docker exec -i -t web sh', docker, 'interactive'],
  ['docker exec --interactive --tty web sh', docker, 'interactive'],
  ['docker exec --tty=true web sh', docker, 'interactive'],
  ['docker exec -i web sh', docker, 'interactive'],
  ['docker container exec -it web sh', docker, 'interactive'],
  ['podman exec -it web sh', podman, 'interactive'],
  ['docker attach web', docker, 'attach'],
  ['docker container attach web', docker, 'attach'],
  ['docker run -it alpine sh', docker, 'subcommand-not-allowed'],
  ['docker run --privileged -v /:/host alpine', docker, 'subcommand-not-allowed'],
  ['docker exec --privileged web id', docker, 'privileged'],
  ['docker exec -u root web id', docker, 'privileged'],
  ['docker exec --env-file /etc/shadow web env', docker, 'local-files'],
  ['docker exec -d web sleep 100', docker, 'flag-not-allowed'],
  ['docker -H tcp://10.0.0.1:2375 ps', docker, 'connection-override'],
  ['docker --host=unix:///var/run/other.sock ps', docker, 'connection-override'],
  ['docker ps -H tcp://x', docker, 'connection-override'],
  ['docker --context prod ps', docker, 'connection-override'],
  ['docker -c prod ps', docker, 'connection-override'],
  ['docker --config /tmp/c ps', docker, 'connection-override'],
  ['docker --tlsverify ps', docker, 'connection-override'],
  ['podman --url ssh://root@x/run/podman.sock ps', podman, 'connection-override'],
  ['podman --connection prod ps', podman, 'connection-override'],
  ['podman ps --remote', podman, 'connection-override'],
  ['podman --root /tmp/x ps', podman, 'connection-override'],
  ['podman system connection add x ssh://y', podman, 'connection-override'],
  ['docker context use prod', docker, 'connection-override'],
  ['docker logs -f web', docker, 'follow-watch'],
  ['docker logs --follow web', docker, 'follow-watch'],
  ['docker logs --follow=true web', docker, 'follow-watch'],
  ['docker logs -tf web', docker, 'follow-watch'],
  ['docker stats', docker, 'follow-watch'],
  ['docker events', docker, 'follow-watch'],
  ['docker cp web:/etc/passwd .', docker, 'local-files'],
  ['docker container prune', docker, 'host-wide'],
  ['docker container prune -f', docker, 'host-wide'],
  ['docker image prune -af', docker, 'host-wide'],
  ['docker exec other-db-1 env', docker, 'not-in-service'],
  ['docker rmi -f other:2', docker, 'not-in-service'],
  ['docker inspect web other-db-1', docker, 'not-in-service'],
  ['docker volume inspect db-data', docker, 'not-in-service'],
  ['docker network inspect other_default', docker, 'not-in-service'],
  ['docker stop nobody', docker, 'not-in-service'],
  ['docker exec -- other-db-1 env', docker, 'not-in-service'],
  ['docker inspect -- web other-db-1', docker, 'not-in-service'],
  ['docker inspect --type=image web', docker, 'not-in-service'],
  ['podman exec --latest env', podman, 'flag-not-allowed'],
  ['podman logs -l', podman, 'flag-not-allowed'],
  ['docker logs web', { engine: 'docker' }, 'not-in-service'],
  ['rm -rf /tmp/cache', docker, 'host-command-not-allowed'],
  ['cp /bin/sh /usr/local/bin/lscpu', docker, 'host-command-not-allowed'],
  ['kill 1234', docker, 'host-command-not-allowed'],
  ['ps aux', { engine: 'docker' }, 'host-command-not-allowed'],
  ['docker login', docker, 'credential-override'],
  ['docker build .', docker, 'subcommand-not-allowed'],
  ['docker volume rm data', docker, 'subcommand-not-allowed'],
  ['docker ps --bogus', docker, 'flag-not-allowed'],
  ['podman ps', docker, 'wrong-program'],
  ['docker ps', inWeb, 'wrong-program'],
  ['--privileged id', inWeb, 'invalid-argument'],
  ['ps aux | grep x', docker, 'shell-syntax'],
  ['df -h > /tmp/x', docker, 'shell-syntax'],
  ['ps aux; reboot', inWeb, 'shell-syntax'],
  ['bash', docker, 'host-command-not-allowed'],
  ['sh -c id', docker, 'host-command-not-allowed'],
  ['/usr/bin/ps aux', docker, 'host-command-not-allowed'],
  ['curl http://x', docker, 'host-command-not-allowed'],
  ['top', docker, 'interactive'],
  ['env rm -rf /', docker, 'invalid-argument'],
  ['ss --ki', docker, 'invalid-argument'],
  ['ss -tK', docker, 'invalid-argument'],
  ['ss -D /tmp/x', docker, 'invalid-argument'],
  ['ss --diag=/tmp/x', docker, 'invalid-argument'],
  ['date --se 2020-01-01', docker, 'invalid-argument'],
  ['tail --fo /var/log/syslog', docker, 'follow-watch'],
  ['hostname evil', docker, 'invalid-argument'],
  ['date -s 2020-01-01', docker, 'invalid-argument'],
  ['ip addr add 10.0.0.1/24 dev eth0', docker, 'invalid-argument'],
  ['ss -K dst 10.0.0.1', docker, 'invalid-argument'],
  ['tail -f /var/log/syslog', docker, 'follow-watch'],
];

describe('engine policy: refusals name the rule', () => {
  it.each(blocked)('%s (%j)', (line, target, rule) => {
    expect(decide(line, target)).toMatchObject({ decision: 'block', rule });
  });

  it('suggests dropping -it', () => {
    expect(decide('docker exec -it web sh')).toMatchObject({ hint: 'Run one command instead: exec CONTAINER CMD' });
  });
});

describe('engine policy: modes and production', () => {
  it('allows follow in streaming mode only', () => {
    expect(decide('docker logs -f web', docker, 'streaming')).toMatchObject({ decision: 'allow', auditArgv: [...D, 'logs', '--follow', 'web'] });
    expect(decide('docker stats', docker, 'streaming')).toMatchObject({ decision: 'allow' });
    expect(decide('tail -f /var/log/syslog', docker, 'streaming')).toMatchObject({ decision: 'allow' });
    expect(decide('docker exec -it web sh', docker, 'streaming')).toMatchObject({ rule: 'interactive' });
    expect(decide('docker attach web', docker, 'streaming')).toMatchObject({ rule: 'attach' });
  });

  it.each([
    ['docker rm web', docker],
    ['docker rmi old:1', docker],
    ['docker kill web', docker],
    ['docker stop web', docker],
    ['docker exec web rm -rf /data', docker],
    ['docker exec web env rm -rf /data', docker],
    ['rm /app/cache.db', inWeb],
    ["sh -c 'rm -rf /data'", inWeb],
  ] as const)('asks to confirm %s in production', (line, target) => {
    const first = decide(line, target, 'one-shot', true);
    expect(first.decision).toBe('needs-confirmation');
    if (first.decision !== 'needs-confirmation') return;
    expect(decide(line, target, 'one-shot', true, first.confirmText)).toMatchObject({ decision: 'allow' });
    expect(decide(line, target, 'one-shot', true, 'yes')).toMatchObject({ decision: 'needs-confirmation' });
  });

  it.each(['docker ps', 'ps aux', 'df -h', 'docker logs web'])('does not ask for %s', (line) => {
    expect(decide(line, docker, 'one-shot', true)).toMatchObject({ decision: 'allow' });
  });
});
