import { defineConfig } from 'vitest/config';
import { findElectronBinary } from './tests/support/electron/electron-binary.ts';

// `npm run test:electron`: the e2e page objects against the real Electron app (Playwright's
// _electron). Kept out of `npm test`: it needs an Electron binary, which CI machines cannot
// download; without one the file skips with a line saying what is missing, and the engines
// (keyring for the app's secrets) are not even started.
const canRun = 'executablePath' in findElectronBinary();

export default defineConfig({
  test: {
    name: 'electron',
    include: ['tests/electron/**/*.test.ts'],
    globalSetup: canRun ? ['tests/support/global-setup.ts'] : [],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
