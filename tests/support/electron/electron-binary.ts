import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const electronPackage = join(import.meta.dirname, '../../../node_modules/electron');

export type ElectronBinary = { executablePath: string } | { missing: string };

/**
 * The Electron executable `npm run dev` would start, without triggering its download (which
 * `require('electron')` does): ELECTRON_OVERRIDE_DIST_PATH, else what `npx install-electron`
 * left in node_modules/electron/dist. Also needs a display on Linux.
 */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const pathFile = join(electronPackage, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : process.platform === 'win32' ? 'electron.exe' : 'electron';
  const dist = env['ELECTRON_OVERRIDE_DIST_PATH'] ?? join(electronPackage, 'dist');
  const executablePath = join(dist, relative);
  if (!existsSync(executablePath)) {
    return { missing: `no Electron binary at ${executablePath} (run \`npx install-electron\` with internet access, or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron)` };
  }
  if (process.platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY']) {
    return { missing: 'no display for Electron (DISPLAY and WAYLAND_DISPLAY are unset; run under xvfb-run)' };
  }
  return { executablePath };
}
