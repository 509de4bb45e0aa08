import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { changeArguments, importTestImages } from './busybox-image.ts';
import { runTool, startDaemon, TestEnvironmentStartError, waitForDaemon } from './daemon-process.ts';
import type { CommandLine, PodmanDescription } from './description.ts';
import { engineAnswersPing, engineVersion } from './engine-api.ts';
import { stopProcessGroup } from './folder-cleanup.ts';
import { findExecutable, toolPath, type ToolRequirement } from './host-tools.ts';
import type { PieceContext } from './piece-context.ts';

export const PODMAN_TOOLS: ToolRequirement[] = [
  { name: 'podman', package: 'podman' },
  { name: 'conmon', package: 'conmon' },
];

/** runc first: crun refuses this machine's hybrid cgroup v1/v2 layout ("cgroups in hybrid mode not supported"). */
function ociRuntime(searchPath: readonly string[]): string | null {
  return findExecutable('runc', searchPath) ?? findExecutable('crun', searchPath);
}

export function podmanRuntimeMissing(searchPath: readonly string[]): string | null {
  return ociRuntime(searchPath) === null ? 'runc or crun (package runc)' : null;
}

/**
 * Private config files instead of flags alone, so the plain `podman` CLI given the same
 * environment sees the same storage as the API service. Ulimits are set because containers
 * otherwise fail here with "error setting rlimit"; locks are files in the folder rather than the
 * machine-wide /dev/shm segment; netns "none" by default so no test can touch host networking.
 */
function writeConfiguration(folder: string, runtime: string): Record<string, string> {
  const graphRoot = join(folder, 'root');
  const runRoot = join(folder, 'run');
  const tmpDir = join(folder, 'tmp');
  const networkConfig = join(folder, 'networks');
  for (const directory of [graphRoot, runRoot, tmpDir, networkConfig]) mkdirSync(directory, { recursive: true });
  const containersConf = join(folder, 'containers.conf');
  writeFileSync(
    containersConf,
    [
      '[containers]',
      'default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]',
      'netns = "none"',
      '[engine]',
      'cgroup_manager = "cgroupfs"',
      'events_logger = "file"',
      `events_logfile_path = "${join(tmpDir, 'events.log')}"`,
      `runtime = "${runtime}"`,
      'lock_type = "file"',
      `tmp_dir = "${tmpDir}"`,
      '[network]',
      `network_config_dir = "${networkConfig}"`,
      '',
    ].join('\n'),
  );
  const storageConf = join(folder, 'storage.conf');
  writeFileSync(storageConf, ['[storage]', 'driver = "vfs"', `graphroot = "${graphRoot}"`, `runroot = "${runRoot}"`, ''].join('\n'));
  const registriesConf = join(folder, 'registries.conf');
  writeFileSync(registriesConf, 'unqualified-search-registries = []\n');
  return {
    CONTAINERS_CONF: containersConf,
    CONTAINERS_STORAGE_CONF: storageConf,
    CONTAINERS_REGISTRIES_CONF: registriesConf,
  };
}

/** Podman refuses a runroot longer than this ("the specified runroot is longer than 50 characters"). */
const RUNROOT_LIMIT = 50;

export async function startPodmanEngine(context: PieceContext, tools: Record<string, string>): Promise<PodmanDescription> {
  const folder = join(context.folder, 'podman');
  const runtime = ociRuntime(context.searchPath);
  if (runtime === null) throw new Error('podman: no OCI runtime (runc or crun) found');
  if (join(folder, 'run').length > RUNROOT_LIMIT) {
    throw new TestEnvironmentStartError(
      `podman: runroot ${join(folder, 'run')} is longer than podman's limit of ${RUNROOT_LIMIT} characters; use a shorter parent folder (TMPDIR)`,
    );
  }
  const configEnv = writeConfiguration(folder, runtime.endsWith('crun') ? 'crun' : 'runc');
  const graphRoot = join(folder, 'root');
  const runRoot = join(folder, 'run');
  const socketPath = join(folder, 'podman.sock');
  // Flags repeat the config so the folder shows in every podman command line (the process sweep relies on it).
  const globalFlags = [
    `--root=${graphRoot}`,
    `--runroot=${runRoot}`,
    '--storage-driver=vfs',
    '--cgroup-manager=cgroupfs',
    '--events-backend=file',
    `--tmpdir=${join(folder, 'tmp')}`,
  ];
  const env = configEnv;
  const podman = toolPath(tools, 'podman');
  const daemon = startDaemon({
    name: 'podman system service',
    command: podman,
    args: [...globalFlags, 'system', 'service', '--time=0', `unix://${socketPath}`],
    env: { ...process.env, ...env, PATH: context.searchPath.join(':') },
    cwd: folder,
    logPath: join(folder, 'podman-service.log'),
  });
  const cli: CommandLine = { command: podman, args: globalFlags, env };
  const run = (args: string[]): Promise<string> =>
    runTool(podman, [...globalFlags, ...args], { env: { ...process.env, ...env }, timeoutMs: context.timeoutMs }).then((result) => result.stdout.trim());
  // Importing through the CLI needs no service, so it overlaps with the service's start.
  const imported = context
    .imageTarballs()
    .then((tarballs) =>
      importTestImages(
        tarballs,
        (tarball, reference, changes) => run(['import', '--quiet', ...changeArguments(changes), tarball, reference]).then((id) => (id.startsWith('sha256:') ? id : `sha256:${id}`)),
        async (source, target) => {
          await run(['tag', source, target]);
        },
      ),
    );
  imported.catch(() => undefined);
  await waitForDaemon(daemon, { timeoutMs: context.timeoutMs, what: `answer GET /_ping on unix://${socketPath}` }, () => engineAnswersPing(socketPath));
  const version = await engineVersion(socketPath);
  return {
    status: 'ready',
    piece: 'podman',
    socketPath,
    host: `unix://${socketPath}`,
    ...version,
    pid: daemon.pid,
    logPath: daemon.logPath,
    graphRoot,
    runRoot,
    cli,
    remoteCli: { command: podman, args: ['--remote', `--url=unix://${socketPath}`], env: {} },
    images: await imported,
  };
}

export async function stopPodmanEngine(description: PodmanDescription, environmentFolder: string): Promise<void> {
  // The service does not stop containers when it exits (conmon keeps them), so remove them first.
  await runTool(description.cli.command, [...description.cli.args, 'rm', '--all', '--force', '--time', '0'], {
    env: { ...process.env, ...description.cli.env },
    timeoutMs: 30_000,
  }).catch(() => undefined);
  await stopProcessGroup(description.pid, environmentFolder, 5_000);
}
