import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { claimFreeNet, releaseNet } from '../../vpn/support/vpn-lab.ts';

const execFileAsync = promisify(execFile);

async function run(argv: readonly string[]): Promise<string> {
  const [file, ...args] = argv;
  const { stdout } = await execFileAsync(file as string, args);
  return stdout;
}

/**
 * A host the app can reach only over SSH:
 *
 *   root namespace ── veth 10.N.0.1/30 ══ 10.N.0.2/30 ── namespace kiops-env-<id>
 *                                                        ├─ sshd on 10.N.0.2:2222
 *                                                        ├─ dockerd, socket on a tmpfs private to the host's mount namespace
 *                                                        └─ Kubernetes test API server on the namespace's 127.0.0.1
 *
 * The engine socket lives on a tmpfs mounted in a mount namespace of its own, so from the app's
 * side the path does not even exist; the API server listens on the namespace's loopback. Only
 * the /30 addresses and loopback carry traffic.
 */
export interface NamespacedHost {
  readonly address: string;
  readonly sshPort: number;
  readonly username: string;
  readonly privateKey: string;
  readonly dockerSocket: string;
  readonly containerName: string;
  /** Admin kubeconfig of the API server inside the namespace (server https://127.0.0.1:PORT). */
  readonly kubeconfigPath: string;
  close(): Promise<void>;
}

export async function startNamespacedHost(): Promise<NamespacedHost> {
  const id = randomBytes(3).toString('hex');
  const namespace = `kiops-env-${id}`;
  // other test runs on this machine build namespaces too: claim the subnet, do not just look
  const n = await claimFreeNet(100, 160);
  const rootVeth = `ke${id}a`;
  const nsVeth = `ke${id}b`;
  const address = `10.${n}.0.2`;
  const dir = await mkdtemp(join(tmpdir(), 'kiops-nshost-'));
  const privateDir = join(dir, 'private');
  const children: ChildProcess[] = [];

  const close = async (): Promise<void> => {
    const pid = Number((await readFile(join(dir, 'dockerd.pid'), 'utf8').catch(() => '')).trim());
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      for (let i = 0; i < 100; i += 1) {
        try {
          process.kill(pid, 0);
          await new Promise((r) => setTimeout(r, 100));
        } catch {
          break;
        }
      }
    }
    await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('close', r)) : undefined)));
    await run(['ip', 'netns', 'del', namespace]).catch(() => undefined);
    await run(['ip', 'link', 'del', rootVeth]).catch(() => undefined);
    await releaseNet(n);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await mkdir(privateDir);
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
    await run(['ip', 'netns', 'add', namespace]);
    await run(['ip', 'link', 'add', rootVeth, 'type', 'veth', 'peer', 'name', nsVeth]);
    await run(['ip', 'link', 'set', nsVeth, 'netns', namespace]);
    await run(['ip', 'addr', 'add', `10.${n}.0.1/30`, 'dev', rootVeth]);
    await run(['ip', 'link', 'set', rootVeth, 'up']);
    await run(['ip', '-n', namespace, 'link', 'set', 'lo', 'up']);
    await run(['ip', '-n', namespace, 'addr', 'add', `${address}/30`, 'dev', nsVeth]);
    await run(['ip', '-n', namespace, 'link', 'set', nsVeth, 'up']);

    await run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client')]);
    await run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
    await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'client.pub')), { mode: 0o600 });
    const sshdConfig = join(dir, 'sshd_config');
    await writeFile(
      sshdConfig,
      [
        'Port 2222',
        `ListenAddress ${address}`,
        `HostKey ${join(dir, 'host_key')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        'AllowTcpForwarding yes',
        'AllowStreamLocalForwarding yes',
        'LogLevel ERROR',
        // a HOME of the test's own: the machine's login dotfiles must not run in test sessions
        `SetEnv HOME=${join(dir, 'home')}`,
        '',
      ].join('\n'),
    );
    await mkdir(join(dir, 'home'), { recursive: true });
    // A one-file image is enough for a created (not started) container.
    await mkdir(join(dir, 'rootfs', 'bin'), { recursive: true });
    await writeFile(join(dir, 'rootfs', 'bin', 'marker'), 'kiops namespaced host\n');
    await run(['tar', '-C', join(dir, 'rootfs'), '-cf', join(dir, 'image.tar'), '.']);

    const docker = `docker -H unix://${privateDir}/docker.sock`;
    const script = [
      'set -e',
      // `ip netns exec` remounts /sys for the namespace, which drops the cgroup mount dockerd needs.
      'mount -t cgroup2 none /sys/fs/cgroup',
      `mount -t tmpfs -o mode=0700 kiops-private ${privateDir}`,
      `dockerd --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --bridge=none --shutdown-timeout=1 --storage-driver=vfs --host=unix://${privateDir}/docker.sock --data-root=${privateDir}/data --exec-root=${privateDir}/exec --pidfile=${dir}/dockerd.pid >${dir}/dockerd.log 2>&1 &`,
      `i=0; until ${docker} version >/dev/null 2>&1; do i=$((i+1)); [ $i -lt 300 ] || exit 3; sleep 0.1; done`,
      `${docker} import ${dir}/image.tar kiops/nshost:1 >/dev/null`,
      `${docker} create --name nshost-web --network none kiops/nshost:1 /bin/marker >/dev/null`,
      'echo ready',
      `exec /usr/sbin/sshd -D -e -f ${sshdConfig}`,
    ].join('\n');
    const host = spawn('ip', ['netns', 'exec', namespace, 'unshare', '--mount', '--propagation', 'private', 'sh', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(host);
    let hostLog = '';
    host.stderr?.on('data', (c: Buffer) => (hostLog += c.toString()));
    await new Promise<void>((ready, fail) => {
      host.stdout?.on('data', (c: Buffer) => c.toString().includes('ready') && ready());
      host.once('close', (code) => fail(new Error(`namespaced host exited (${code}): ${hostLog}`)));
    });
    await waitForSsh(address, 30_000);

    const kubeServer = spawn('ip', ['netns', 'exec', namespace, process.execPath, resolve('tests/kube-server/cli.ts'), '--empty'], { stdio: ['ignore', 'pipe', 'pipe'], cwd: resolve('.') });
    children.push(kubeServer);
    const kubeconfigPath = await new Promise<string>((ready, fail) => {
      let out = '';
      kubeServer.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) ready(out.trim().split('\n')[0] ?? '');
      });
      kubeServer.once('close', (code) => fail(new Error(`kube test server exited (${code})`)));
    });

    return {
      address,
      sshPort: 2222,
      username: userInfo().username,
      privateKey: await readFile(join(dir, 'client'), 'utf8'),
      dockerSocket: join(privateDir, 'docker.sock'),
      containerName: 'nshost-web',
      kubeconfigPath,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function waitForSsh(address: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  const { connect } = await import('node:net');
  for (;;) {
    const ok = await new Promise<boolean>((done) => {
      const socket = connect(2222, address);
      socket.once('connect', () => (socket.destroy(), done(true)));
      socket.once('error', () => done(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`sshd in the namespace did not listen on ${address}:2222`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
