// A stand-in for the app process: brings a VPN up, then exits when told, WITHOUT tearDownAll,
// so the test can check what the 'exit' safety net leaves behind. The profile (a secret) comes
// on stdin, never in argv or the environment.
import { createInterface } from 'node:readline';
import { createPrivilegedLauncher } from '../../../../electron/main/connections/vpn/privileged-launcher.ts';
import { VpnManager } from '../../../../electron/main/connections/vpn/vpn-manager.ts';

const tempRoot = process.argv[2] as string;
const lines = createInterface({ input: process.stdin });
let manager: VpnManager | undefined;

lines.on('line', (line) => {
  const message = JSON.parse(line) as { profile?: string; exit?: 'exit' | 'throw' };
  if (message.profile !== undefined) {
    const profile = message.profile;
    manager = new VpnManager({ secrets: { get: async () => profile }, launcher: createPrivilegedLauncher({ kind: 'direct' }), tempRoot, upTimeoutMs: 8_000 });
    manager.bringUp('child').then(
      () => process.stdout.write('up\n'),
      (error: unknown) => {
        process.stdout.write(`failed ${(error as Error).message}\n`);
        process.exit(2);
      },
    );
  }
  if (message.exit === 'exit') process.exit(0);
  if (message.exit === 'throw') setImmediate(() => {
    throw new Error('crash on purpose');
  });
});
// Stops by itself if the test forgets it.
setTimeout(() => process.exit(3), 60_000).unref();
