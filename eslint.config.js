import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';
import globals from 'globals';

const electronOnly = { name: 'electron', message: 'Only the Electron shell (electron/main/index.ts, electron/main/shell/, electron/main/ipc/electron-ipc.ts, electron/preload) may import Electron; services stay transport-agnostic.' };
const mainCode = { group: ['**/electron/**', '!electron'], message: 'Code shared with or running in the renderer must not import the main process.' };
const rendererCode = { group: ['**/renderer/**'], message: 'shared/ must not import the renderer.' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { paths: [electronOnly] }],
    },
  },
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
    rules: { 'vue/multi-word-component-names': 'off', 'vue/max-attributes-per-line': 'off', 'vue/singleline-html-element-content-newline': 'off', 'vue/html-self-closing': 'off' },
  },
  {
    files: ['renderer/**'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnly], patterns: [mainCode, { group: ['node:*'], message: 'The renderer has no Node.' }] }] },
  },
  {
    files: ['shared/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnly], patterns: [mainCode, rendererCode] }] },
  },
  {
    files: ['electron/main/index.ts', 'electron/main/shell/**', 'electron/main/ipc/electron-ipc.ts', 'electron/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
