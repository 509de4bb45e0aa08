import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, type VpnLab } from './vpn-lab.ts';

interface SelfSigned {
  readonly cert: string;
  readonly key: string;
  /** OpenVPN's peer-fingerprint form: SHA-256, colon-separated hex. */
  readonly fingerprint: string;
}

/** A self-signed EC certificate: with peer-fingerprint, OpenVPN 2.6 needs no CA at all. */
async function selfSigned(folder: string, name: string): Promise<SelfSigned> {
  const certPath = join(folder, `${name}.crt`);
  const keyPath = join(folder, `${name}.key`);
  await run([
    'openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', `/CN=${name}`, '-days', '2', '-keyout', keyPath, '-out', certPath,
  ]);
  const fingerprint = (await run(['openssl', 'x509', '-in', certPath, '-noout', '-fingerprint', '-sha256'])).trim().replace(/^.*=/, '');
  return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8'), fingerprint };
}

export interface OpenVpnServer {
  /** The client profile (inline cert, key and server fingerprint) that reaches the lab's target. */
  readonly clientProfile: string;
  /** The same client pointed at a port where nothing answers. */
  readonly silentProfile: string;
  /** The tunnel network the client gets an address from. */
  readonly tunnelNet: string;
  readonly clientKey: string;
}

/** openvpn in server mode inside the lab's namespace; it pushes a route to the target only. */
export async function startOpenVpnServer(lab: VpnLab): Promise<OpenVpnServer> {
  const folder = await lab.folder('openvpn-server');
  const server = await selfSigned(folder, 'server');
  const client = await selfSigned(folder, 'client');
  const port = 1194;
  const tunnelNet = `10.${lab.net}.2.0`;
  const conf = join(folder, 'server.conf');
  await writeFile(
    conf,
    [
      'dev tun',
      'proto udp4',
      `local ${lab.serverUnderlay}`,
      `port ${port}`,
      'topology subnet',
      `server ${tunnelNet} 255.255.255.240`,
      `push "route ${lab.target.host} 255.255.255.255"`,
      'dh none',
      'disable-dco',
      'verb 3',
      `<cert>\n${server.cert}</cert>`,
      `<key>\n${server.key}</key>`,
      `<peer-fingerprint>\n${client.fingerprint}\n</peer-fingerprint>`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const child = lab.spawnInNamespace(['openvpn', '--config', conf]);
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`openvpn server did not start:\n${log}`)), 10_000);
    const onData = (d: Buffer): void => {
      log += d.toString();
      if (log.includes('Initialization Sequence Completed')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('close', (code) => reject(new Error(`openvpn server exited (${code}):\n${log}`)));
  });

  const profile = (remotePort: number): string =>
    [
      '# KIOPS test client',
      'client',
      // the app judges the routes a profile states, so pushed routes are not taken
      'route-nopull',
      `route ${lab.target.host} 255.255.255.255`,
      'dev tun',
      'proto udp4',
      `remote ${lab.serverUnderlay} ${remotePort}`,
      'nobind',
      'disable-dco',
      'connect-retry 1',
      'verb 3',
      `<cert>\n${client.cert}</cert>`,
      `<key>\n${client.key}</key>`,
      `<peer-fingerprint>\n${server.fingerprint}\n</peer-fingerprint>`,
      '',
    ].join('\n');
  return { clientProfile: profile(port), silentProfile: profile(port + 7), tunnelNet: `${tunnelNet}/28`, clientKey: client.key };
}
