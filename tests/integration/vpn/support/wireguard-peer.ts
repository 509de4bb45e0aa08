import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, type VpnLab } from './vpn-lab.ts';

export interface WireGuardKeys {
  readonly privateKey: string;
  readonly publicKey: string;
}

export async function wireGuardKeys(): Promise<WireGuardKeys> {
  const privateKey = (await run(['wg', 'genkey'])).trim();
  const publicKey = (await run(['wg', 'pubkey'], privateKey)).trim();
  return { privateKey, publicKey };
}

export interface WireGuardServer {
  readonly publicKey: string;
  readonly port: number;
  /** The client profile (wg-quick format) that reaches the lab's target through this server. */
  readonly clientProfile: string;
  /** The same client, pointed at a port where nothing answers. */
  readonly silentProfile: string;
  readonly clientAddress: string;
}

/** The server side: wireguard-go inside the lab's namespace, one peer (the app). */
export async function startWireGuardServer(lab: VpnLab): Promise<WireGuardServer> {
  const server = await wireGuardKeys();
  const client = await wireGuardKeys();
  const iface = `kws${lab.id}`;
  const port = 51820;
  const serverTunnel = `10.${lab.net}.1.1`;
  const clientAddress = `10.${lab.net}.1.2`;
  const folder = await lab.folder('wg-server');
  const conf = join(folder, 'server.conf');
  await writeFile(conf, `[Interface]\nPrivateKey = ${server.privateKey}\nListenPort = ${port}\n\n[Peer]\nPublicKey = ${client.publicKey}\nAllowedIPs = ${clientAddress}/32\n`, { mode: 0o600 });

  const child = lab.spawnInNamespace(['wireguard-go', '-f', iface]);
  const deadline = Date.now() + 5_000;
  // The UAPI socket is shared across namespaces (/var/run/wireguard), so it tells when the device is ready.
  while (!existsSync(`/var/run/wireguard/${iface}.sock`)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('wireguard-go (server) did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  const ns = ['ip', 'netns', 'exec', lab.namespace];
  await lab.run([...ns, 'wg', 'setconf', iface, conf]);
  await lab.run(['ip', '-n', lab.namespace, 'addr', 'add', `${serverTunnel}/32`, 'dev', iface]);
  await lab.run(['ip', '-n', lab.namespace, 'link', 'set', iface, 'up']);
  await lab.run(['ip', '-n', lab.namespace, 'route', 'add', `${clientAddress}/32`, 'dev', iface]);

  const profile = (endpointPort: number): string =>
    [
      '# KIOPS test profile',
      '[Interface]',
      `PrivateKey = ${client.privateKey}`,
      `Address = ${clientAddress}/32`,
      'DNS = 10.255.255.53',
      '',
      '[Peer]',
      `PublicKey = ${server.publicKey}`,
      `AllowedIPs = ${serverTunnel}/32, ${lab.target.host}/32`,
      `Endpoint = ${lab.serverUnderlay}:${endpointPort}`,
      '',
    ].join('\n');
  return { publicKey: server.publicKey, port, clientProfile: profile(port), silentProfile: profile(port + 7), clientAddress };
}
