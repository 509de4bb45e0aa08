import { defineConfig } from 'vitest/config';

// Three layers, one runner. Unit tests sit next to the code they test; integration and
// end-to-end tests talk to real engines started by tests/support/global-setup.ts.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          environment: 'node',
          // a few unit tests start real tools (eslint, electron-builder's config check): room for a loaded machine
          testTimeout: 30_000,
          typecheck: { enabled: true, include: ['**/*.test-d.ts'], tsconfig: './tsconfig.node.json' },
        },
      },
      {
        test: {
          name: 'integration',
          // the layers run one after another: real engines and Chromium on two cores at once
          // starve each other's timers and make waits flaky
          sequence: { groupOrder: 1 },
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          // a hang guard, not a speed limit: long scenarios (the e2e Scaling panel: 49 s) passed
          // 60 s at load 25 on 2 cores
          testTimeout: 180_000,
          hookTimeout: 120_000,
          // expect.poll waits for what the user sees; its 1 s default assumes an idle machine
          expect: { poll: { timeout: 30_000 } },
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          // a hang guard, not a speed limit: long scenarios (the e2e Scaling panel: 49 s) passed
          // 60 s at load 25 on 2 cores
          testTimeout: 180_000,
          hookTimeout: 120_000,
          // expect.poll waits for what the user sees; its 1 s default assumes an idle machine
          expect: { poll: { timeout: 30_000 } },
          fileParallelism: false,
        },
      },
    ],
  },
});
