// Lint rules, including the layering of docs/ARCHITECTURE.md as no-restricted-imports.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const banned = {
  node: { regex: '^node:|^(fs|path|os|child_process|worker_threads|http|net|crypto|url|util)(/|$)', message: 'Node built-ins run only under main/.' },
  electron: { regex: '^electron(/|$)', message: 'Only main/electron/ may import electron (docs/ARCHITECTURE.md).' },
  tfjs: { regex: '^@tensorflow/', message: 'TensorFlow.js lives in main/learning/.' },
  nativeAndServer: { regex: '^(better-sqlite3|ws)$', message: 'SQLite and the WebSocket server run only under main/.' },
  main: { regex: '(^|/)main/', message: 'The renderer and shared code never import main/; talk to it through the API contract in shared/api.' },
  renderer: { regex: '(^|/)renderer/', message: 'Nothing imports the renderer.' },
  transports: { regex: '(^|/)(host|electron|cli)/', message: 'Services must not depend on a transport or the CLI.' },
};

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'e2e/screenshots/', 'test-results/', '**/.scratch/', '.electron-native/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      ...restrict(banned.electron, banned.renderer),
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: globals.browser },
    rules: restrict(banned.node, banned.electron, banned.tfjs, banned.nativeAndServer, banned.main),
  },
  {
    files: ['shared/**'],
    rules: restrict(banned.node, banned.electron, banned.tfjs, banned.nativeAndServer, banned.main, banned.renderer),
  },
  {
    // Tests of shared code run in Node under Vitest and may read fixtures from disk.
    files: ['shared/**/*.test.ts'],
    rules: restrict(banned.electron, banned.tfjs, banned.nativeAndServer, banned.main, banned.renderer),
  },
  {
    files: ['main/services/**', 'main/storage/**', 'main/learning/**', 'main/workers/**'],
    rules: restrict(banned.electron, banned.renderer, banned.transports),
  },
  {
    files: ['main/electron/**'],
    rules: restrict(banned.renderer),
  },
);
