import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { VpnLab } from '../../vpn/support/vpn-lab.ts';

const kubeServerCli = fileURLToPath(new URL('../../../kube-server/cli.ts', import.meta.url));

/**
 * The Kubernetes test API server inside a VPN lab's server namespace, reachable ONLY through the
 * tunnel:
 *
 *   server namespace ── kube test server on the namespace's 127.0.0.1:PORT (with its demo pods)
 *                    └─ TCP relay on the lab target address (10.N.9.1:PORT) → 127.0.0.1:PORT
 *
 * The test server listens on loopback only and its serving certificate names 127.0.0.1 and
 * localhost, so the relay puts it on the tunnel-side address and the kubeconfig says
 * `tls-server-name: localhost` (the CA is still verified; only the name checked changes).
 * Both processes belong to the lab (stopped by lab.close()) and also stop by themselves.
 */
export interface TunnelOnlyKube {
  readonly host: string;
  readonly port: number;
  /** Admin kubeconfig text with server https://<tunnel-side address>:PORT. */
  readonly kubeconfig: string;
  readonly contextName: string;
}

export async function startTunnelOnlyKube(lab: VpnLab): Promise<TunnelOnlyKube> {
  // `timeout` passes SIGTERM on to the server and ends it if the test runner itself dies.
  const server = lab.spawnInNamespace(['timeout', '300', process.execPath, kubeServerCli]);
  let stderr = '';
  let stdout = '';
  // The CLI prints the admin kubeconfig path on stdout, then writes every user's kubeconfig again
  // (admin's included: truncate, then write) and ends with a "Try: KUBECONFIG=" hint on stderr.
  // Reading before that hint can see the admin file empty, so wait for it.
  const kubeconfigPath = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kube test server did not start in the lab namespace: ${stderr}`)), 20_000);
    const check = (): void => {
      if (!stdout.includes('\n') || !stderr.includes('Try: KUBECONFIG=')) return;
      clearTimeout(timer);
      resolve(stdout.split('\n')[0]?.trim() ?? '');
    };
    server.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      check();
    });
    server.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4_000);
      check();
    });
    server.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`kube test server exited (${code}): ${stderr}`));
    });
  });
  const original = await readFile(kubeconfigPath, 'utf8');
  const port = Number(/server: https:\/\/127\.0\.0\.1:(\d+)/.exec(original)?.[1]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`kube test server kubeconfig ${kubeconfigPath} has no https://127.0.0.1:PORT server: ${original.slice(0, 300)}`);

  const relay = lab.spawnInNamespace([process.execPath, '-e', relayScript, lab.target.host, String(port)]);
  await new Promise<void>((resolve, reject) => {
    relay.stdout?.once('data', () => resolve());
    relay.stderr?.on('data', (d: Buffer) => reject(new Error(`relay failed: ${d.toString()}`)));
    relay.once('close', (code) => reject(new Error(`relay exited (${code})`)));
  });

  const kubeconfig = original.replace(
    /^( *)server: https:\/\/127\.0\.0\.1:\d+$/m,
    (_line, indent: string) => `${indent}server: https://${lab.target.host}:${port}\n${indent}tls-server-name: localhost`,
  );
  const contextName = /^current-context: (.+)$/m.exec(kubeconfig)?.[1]?.trim() ?? 'admin@kiops-test';
  return { host: lab.target.host, port, kubeconfig, contextName };
}

/** Relays every TCP connection on host:port to 127.0.0.1:port inside the namespace. */
const relayScript = `
const net = require('node:net');
const [host, port] = process.argv.slice(1);
const server = net.createServer((inbound) => {
  const outbound = net.connect(Number(port), '127.0.0.1');
  inbound.on('error', () => outbound.destroy());
  outbound.on('error', () => inbound.destroy());
  inbound.pipe(outbound).pipe(inbound);
});
server.listen(Number(port), host, () => process.stdout.write('listening\\n'));
// Stops by itself even if the test runner dies.
setTimeout(() => process.exit(0), 5 * 60_000).unref();
`;

/** Processes whose parent is this test process and whose program name is one of `names` (e.g. the app's wireguard-go). */
export async function childProcessesNamed(names: readonly string[]): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const match = /^\d+ \((.*)\) \S+ (\d+) /.exec(stat);
    if (match && Number(match[2]) === process.pid && names.includes(match[1] ?? '')) found.push(Number(entry));
  }
  return found;
}
