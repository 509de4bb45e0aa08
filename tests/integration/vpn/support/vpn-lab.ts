import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { connect } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * A private network for one test file. Nothing here sends a packet outside what it created:
 *
 *   root namespace ── veth 10.N.0.1/30 ══ 10.N.0.2/30 ── server namespace (kiops-vpn-<id>)
 *                                                         ├─ VPN server (OpenVPN or wireguard-go)
 *                                                         └─ loopback: target 10.N.9.1/32
 *
 * The target lives only in the server namespace, so the root namespace (where the app and the
 * test run) reaches it only through a tunnel. An `unreachable 10.N.0.0/16` route with a high
 * metric makes "not reachable" fail at once, instead of sending the SYN out the default route.
 */
export interface VpnLab {
  readonly id: string;
  readonly namespace: string;
  /** Second octet of 10.N.0.0/16, the lab's address space. */
  readonly net: string;
  readonly serverUnderlay: string;
  readonly target: { readonly host: string; readonly port: number; readonly banner: string };
  /** Runs a command to the end (no shell); throws with stderr on failure. */
  run(argv: readonly string[]): Promise<string>;
  /** Starts a long-running process inside the server namespace; stopped by close(). */
  spawnInNamespace(argv: readonly string[]): ChildProcess;
  /** A fresh folder, removed by close(). */
  folder(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function run(argv: readonly string[], input?: string): Promise<string> {
  const [file, ...args] = argv;
  if (input !== undefined) {
    return new Promise((resolve, reject) => {
      const child = execFile(file as string, args, (error, stdout, stderr) => (error ? reject(new Error(`${argv.join(' ')}: ${stderr}`)) : resolve(stdout)));
      child.stdin?.end(input);
    });
  }
  try {
    const { stdout } = await execFileAsync(file as string, args);
    return stdout;
  } catch (error) {
    throw new Error(`${argv.join(' ')}: ${(error as { stderr?: string }).stderr ?? String(error)}`, { cause: error });
  }
}

/**
 * Claims a free 10.N.0.0/16 for a test (N in [min, max)) by adding its `unreachable` route: the
 * add fails when another test run (other helpers run the same suites on this machine) claimed the
 * same N a moment earlier, so the check and the claim cannot race. Release with releaseNet.
 */
export async function claimFreeNet(min = 160, max = 250): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const routes = await run(['ip', '-4', '-o', 'route', 'show', 'table', 'all']);
    const addresses = await run(['ip', '-4', '-o', 'addr', 'show']);
    const n = String(randomInt(min, max));
    if (new RegExp(`\\b10\\.${n}\\.`).test(routes + addresses)) continue;
    const claimed = await run(['ip', 'route', 'add', 'unreachable', `10.${n}.0.0/16`, 'metric', '4095']).then(
      () => true,
      () => false,
    );
    if (claimed) return n;
  }
  throw new Error('No free 10.N.0.0/16 for the test network');
}

export async function releaseNet(net: string): Promise<void> {
  await run(['ip', 'route', 'del', 'unreachable', `10.${net}.0.0/16`, 'metric', '4095']).catch(() => undefined);
}

/** Lists pids whose command line contains `needle` (our VPN processes leave a unique mark there). */
export async function pidsMatching(needle: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').some((arg) => arg.includes(needle))) pids.push(Number(entry));
  }
  return pids;
}

/** Interfaces in the root namespace that carry an address inside `cidr`. */
export async function interfacesWithAddressIn(cidr: string): Promise<string[]> {
  const out = await run(['ip', '-4', '-o', 'addr', 'show', 'to', cidr]);
  return out.split('\n').filter(Boolean).map((line) => line.split(/\s+/)[1] as string);
}

export async function createVpnLab(): Promise<VpnLab> {
  const id = randomBytes(3).toString('hex');
  const namespace = `kiops-vpn-${id}`;
  const net = await claimFreeNet();
  const rootVeth = `kv${id}a`;
  const nsVeth = `kv${id}b`;
  const children: ChildProcess[] = [];
  const folders: string[] = [];
  const nsArgs = (argv: readonly string[]): string[] => ['netns', 'exec', namespace, ...argv];
  const target = { host: `10.${net}.9.1`, port: 18000 + randomInt(0, 1000), banner: `kiops-vpn-target ${id}` };

  const close = async (): Promise<void> => {
    // SIGTERM first: wireguard-go then removes its interface and its UAPI socket itself.
    const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
    const closed = running.map((c) => new Promise((r) => c.once('close', r)));
    for (const child of running) child.kill('SIGTERM');
    const late = setTimeout(() => running.forEach((c) => c.kill('SIGKILL')), 3_000);
    await Promise.allSettled(closed);
    clearTimeout(late);
    await rm(`/var/run/wireguard/kws${id}.sock`, { force: true });
    await run(['ip', 'netns', 'del', namespace]).catch(() => undefined);
    await run(['ip', 'link', 'del', rootVeth]).catch(() => undefined);
    await releaseNet(net);
    await Promise.allSettled(folders.map((f) => rm(f, { recursive: true, force: true })));
  };

  try {
    await run(['ip', 'netns', 'add', namespace]);
    await run(['ip', 'link', 'add', rootVeth, 'type', 'veth', 'peer', 'name', nsVeth]);
    await run(['ip', 'link', 'set', nsVeth, 'netns', namespace]);
    await run(['ip', 'addr', 'add', `10.${net}.0.1/30`, 'dev', rootVeth]);
    await run(['ip', 'link', 'set', rootVeth, 'up']);
    await run(['ip', '-n', namespace, 'link', 'set', 'lo', 'up']);
    await run(['ip', '-n', namespace, 'addr', 'add', `10.${net}.0.2/30`, 'dev', nsVeth]);
    await run(['ip', '-n', namespace, 'link', 'set', nsVeth, 'up']);
    // No dummy module here: the namespace's own loopback carries the target address.
    await run(['ip', '-n', namespace, 'addr', 'add', `${target.host}/32`, 'dev', 'lo']);

    const server = spawn(
      'ip',
      nsArgs([process.execPath, '-e', targetServerScript, target.host, String(target.port), target.banner]),
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(server);
    await new Promise<void>((resolve, reject) => {
      server.stdout?.once('data', () => resolve());
      server.once('close', (code) => reject(new Error(`target server exited with ${code}`)));
    });
  } catch (error) {
    await close();
    throw error;
  }

  return {
    id,
    namespace,
    net,
    serverUnderlay: `10.${net}.0.2`,
    target,
    run: (argv) => run(argv),
    spawnInNamespace(argv) {
      const child = spawn('ip', nsArgs(argv), { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      return child;
    },
    async folder(name) {
      const path = await mkdtemp(join(tmpdir(), `kiops-vpn-test-${name}-`));
      folders.push(path);
      return path;
    },
    close,
  };
}

/** A TCP service that greets every connection with a known line, so a test knows it reached *it*. */
const targetServerScript = `
const [host, port, banner] = process.argv.slice(1);
// A health probe connects and resets at once: that must not end the service.
const server = require('node:net').createServer((s) => { s.on('error', () => {}); s.end(banner + '\\n'); });
server.listen(Number(port), host, () => process.stdout.write('listening\\n'));
// Stops by itself even if the test runner dies.
setTimeout(() => process.exit(0), 10 * 60_000).unref();
`;

/** Connects, reads the greeting; rejects quickly when unreachable. */
export function readBanner(host: string, port: number, timeoutMs = 3_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`timeout reaching ${host}:${port}`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (data += d));
    socket.once('end', () => {
      clearTimeout(timer);
      resolve(data.trim());
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
