import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { runTool, startDaemon, TestEnvironmentStartError, waitForDaemon } from './daemon-process.ts';
import type { KeyringDescription } from './description.ts';
import { stopProcessGroup } from './folder-cleanup.ts';
import { toolPath, type ToolRequirement } from './host-tools.ts';
import type { PieceContext } from './piece-context.ts';

export const KEYRING_TOOLS: ToolRequirement[] = [
  { name: 'dbus-daemon', package: 'dbus-daemon' },
  { name: 'dbus-send', package: 'dbus-bin' },
  { name: 'gnome-keyring-daemon', package: 'gnome-keyring' },
  { name: 'secret-tool', package: 'libsecret-tools' },
];

/**
 * Our own session bus config rather than `--session`: the stock one enables D-Bus activation,
 * and a Secret Service call that raced our keyring's start would then launch a second
 * gnome-keyring with the real HOME.
 */
function writeBusConfig(folder: string, socketPath: string): string {
  const configPath = join(folder, 'session-bus.conf');
  writeFileSync(
    configPath,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${socketPath}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  );
  return configPath;
}

async function secretsNameOwned(dbusSend: string, busAddress: string): Promise<true | null> {
  const { stdout } = await runTool(
    dbusSend,
    [`--bus=${busAddress}`, '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'],
    { timeoutMs: 5_000 },
  );
  return /boolean true/.test(stdout) ? true : null;
}

/** Owning the bus name is not enough: the login keyring must be created and unlocked, so store, read and clear a probe secret. */
async function keyringStoresSecrets(secretTool: string, env: NodeJS.ProcessEnv): Promise<true | null> {
  const attributes = ['service', 'kiops-testenv-probe', 'account', 'readiness'];
  const value = randomBytes(8).toString('hex');
  await runTool(secretTool, ['store', '--label=kiops testenv readiness probe', ...attributes], { env, input: value, timeoutMs: 10_000 });
  const { stdout } = await runTool(secretTool, ['lookup', ...attributes], { env, timeoutMs: 10_000 });
  await runTool(secretTool, ['clear', ...attributes], { env, timeoutMs: 10_000 });
  return stdout.trim() === value ? true : null;
}

export async function startSecretService(context: PieceContext, tools: Record<string, string>): Promise<KeyringDescription> {
  const folder = join(context.folder, 'keyring');
  const home = join(folder, 'home');
  const runtimeDir = join(folder, 'runtime');
  for (const directory of [home, runtimeDir, join(folder, 'control')]) mkdirSync(directory, { recursive: true, mode: 0o700 });
  const busSocket = join(folder, 'bus');
  const busAddress = `unix:path=${busSocket}`;
  const bus = startDaemon({
    name: 'dbus-daemon',
    command: toolPath(tools, 'dbus-daemon'),
    args: [`--config-file=${writeBusConfig(folder, busSocket)}`, '--nofork', '--nosyslog', '--print-address=1'],
    env: { ...process.env },
    cwd: folder,
    logPath: join(folder, 'dbus-daemon.log'),
  });
  const dbusSend = toolPath(tools, 'dbus-send');
  await waitForDaemon(bus, { timeoutMs: context.timeoutMs, what: `answer on ${busAddress}` }, async () => {
    await runTool(dbusSend, [`--bus=${busAddress}`, '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.GetId'], { timeoutMs: 5_000 });
    return true;
  });

  const daemonEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DBUS_SESSION_BUS_ADDRESS: busAddress,
    HOME: home,
    XDG_RUNTIME_DIR: runtimeDir,
    XDG_DATA_HOME: join(home, '.local/share'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
  };
  // An empty unlock password leaves no usable login collection ("Object does not exist at path …/login").
  const unlockPassword = `kiops-${randomBytes(6).toString('hex')}`;
  const keyring = startDaemon({
    name: 'gnome-keyring-daemon',
    command: toolPath(tools, 'gnome-keyring-daemon'),
    args: ['--foreground', '--unlock', '--components=secrets', `--control-directory=${join(folder, 'control')}`],
    env: daemonEnv,
    cwd: folder,
    logPath: join(folder, 'gnome-keyring.log'),
    input: `${unlockPassword}\n`,
  });
  await waitForDaemon(keyring, { timeoutMs: context.timeoutMs, what: `own org.freedesktop.secrets on ${busAddress}` }, () => secretsNameOwned(dbusSend, busAddress));
  const secretTool = toolPath(tools, 'secret-tool');
  const clientEnv = { DBUS_SESSION_BUS_ADDRESS: busAddress };
  const stored = await keyringStoresSecrets(secretTool, { ...process.env, ...clientEnv }).catch((error: unknown) => {
    throw new TestEnvironmentStartError(`gnome-keyring on ${busAddress} owns the Secret Service name but cannot store a secret: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (stored === null) throw new TestEnvironmentStartError(`gnome-keyring on ${busAddress} returned a different secret than the one stored`);
  return {
    status: 'ready',
    piece: 'keyring',
    busAddress,
    busPid: bus.pid,
    keyringPid: keyring.pid,
    unlockPassword,
    home,
    logPath: keyring.logPath,
    secretToolPath: secretTool,
    env: clientEnv,
  };
}

export async function stopSecretService(description: KeyringDescription, environmentFolder: string): Promise<void> {
  await stopProcessGroup(description.keyringPid, environmentFolder, 3_000);
  await stopProcessGroup(description.busPid, environmentFolder, 3_000);
}
