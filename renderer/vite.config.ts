import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { windowCodeSplitting } from './code-splitting.ts';

// Builds the renderer alone for browser mode (`npm run web`) and the end-to-end tests; the
// Electron build uses electron.vite.config.ts with the same root and output folder.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [vue()],
  define: {
    // vue-i18n: Composition API only, no legacy API or devtools hooks in the bundle
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  build: {
    outDir: resolve(import.meta.dirname, '../out/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: { output: { codeSplitting: windowCodeSplitting } },
  },
});
