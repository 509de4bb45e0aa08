import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { changeArguments, importTestImages } from './busybox-image.ts';
import { runTool, startDaemon, waitForDaemon } from './daemon-process.ts';
import type { CommandLine, DockerDescription } from './description.ts';
import { engineAnswersPing, engineVersion, killAllContainers } from './engine-api.ts';
import { stopProcessGroup } from './folder-cleanup.ts';
import { toolPath, type ToolRequirement } from './host-tools.ts';
import type { PieceContext } from './piece-context.ts';

export const DOCKER_TOOLS: ToolRequirement[] = [
  { name: 'dockerd', package: 'docker.io' },
  { name: 'docker', package: 'docker.io' },
  { name: 'containerd', package: 'containerd' },
  { name: 'containerd-shim-runc-v2', package: 'containerd' },
  { name: 'runc', package: 'runc' },
];

/**
 * A private dockerd: own socket, data root, exec root and pidfile, no bridge, no iptables, no
 * ip_forward sysctl, an empty daemon.json so /etc/docker/daemon.json is not read. Containers
 * must run with NetworkMode "none".
 */
export async function startDockerEngine(context: PieceContext, tools: Record<string, string>): Promise<DockerDescription> {
  const folder = join(context.folder, 'docker');
  mkdirSync(join(folder, 'client-config'), { recursive: true });
  const socketPath = join(folder, 'docker.sock');
  const dataRoot = join(folder, 'data');
  const configFile = join(folder, 'daemon.json');
  writeFileSync(configFile, '{}\n');
  const daemon = startDaemon({
    name: 'dockerd',
    command: toolPath(tools, 'dockerd'),
    args: [
      `--host=unix://${socketPath}`,
      `--data-root=${dataRoot}`,
      `--exec-root=${join(folder, 'exec')}`,
      `--pidfile=${join(folder, 'dockerd.pid')}`,
      `--config-file=${configFile}`,
      '--storage-driver=vfs',
      '--iptables=false',
      '--ip6tables=false',
      '--ip-forward=false',
      '--ip-masq=false',
      '--bridge=none',
      // short shutdown; running containers are killed first anyway (see stopDockerEngine)
      '--shutdown-timeout=1',
    ],
    env: { ...process.env, PATH: context.searchPath.join(':') },
    cwd: folder,
    logPath: join(folder, 'dockerd.log'),
  });
  await waitForDaemon(daemon, { timeoutMs: context.timeoutMs, what: `answer GET /_ping on unix://${socketPath}` }, () => engineAnswersPing(socketPath));
  const version = await engineVersion(socketPath);
  const cli: CommandLine = {
    command: toolPath(tools, 'docker'),
    args: ['-H', `unix://${socketPath}`],
    env: { DOCKER_CONFIG: join(folder, 'client-config') },
  };
  const docker = (args: string[]): Promise<string> =>
    runTool(cli.command, [...cli.args, ...args], { env: { ...process.env, ...cli.env }, timeoutMs: context.timeoutMs }).then((result) => result.stdout.trim());
  const images = await importTestImages(
    await context.imageTarballs(),
    (tarball, reference, changes) => docker(['import', ...changeArguments(changes), tarball, reference]),
    async (source, target) => {
      await docker(['tag', source, target]);
    },
  );
  return {
    status: 'ready',
    piece: 'docker',
    socketPath,
    host: `unix://${socketPath}`,
    ...version,
    pid: daemon.pid,
    logPath: daemon.logPath,
    dataRoot,
    cli,
    images,
  };
}

export async function stopDockerEngine(description: DockerDescription, environmentFolder: string): Promise<void> {
  // Containers are throwaway here: kill them, then dockerd stops its containerd on SIGTERM; the folder sweep catches the rest.
  await killAllContainers(description.socketPath).catch(() => undefined);
  await stopProcessGroup(description.pid, environmentFolder, 15_000);
}
