import { parseArgs } from 'node:util';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createKiopsCore } from '../composition.ts';
import { startBrowserServer } from './browser-server.ts';
import { installShutdown } from './shutdown.ts';

// `npm run web`: the same composition root as the Electron app, served to a browser on
// 127.0.0.1. Prints the URL (with the per-launch token) to open.

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    'renderer-root': { type: 'string' },
  },
});

const repoRoot = resolve(import.meta.dirname, '../../..');
const dataDir = values['data-dir'] ?? process.env['KIOPS_DATA_DIR'] ?? join(homedir(), '.config', 'kiops-desktop');
const rendererRoot = values['renderer-root'] ?? join(repoRoot, 'out', 'renderer');

// installed before anything starts, so a signal during startup or right after the URL is
// printed still takes the child process groups down instead of the OS's default kill
const running: { stop?: () => Promise<void> } = {};
installShutdown(async () => {
  await running.stop?.();
});

const core = await createKiopsCore({ dataDir, shell: 'browser', version: process.env['npm_package_version'] ?? '0.0.0' });
const server = await startBrowserServer({
  router: core.router,
  senderPolicy: core.senderPolicy,
  rendererRoot,
  port: Number(values.port),
  onWindowConnected: core.windowOpening,
});
running.stop = async () => {
  await server.close();
  await core.close();
};

process.stdout.write(`KIOPS Desktop (browser mode) is ready.\nOpen: ${server.url}\n`);
