import { svelte } from '@sveltejs/vite-plugin-svelte';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Unit tests beside the code. Forks (not threads) because better-sqlite3 and tfjs-node are native addons.
export default defineConfig({
  plugins: [svelte({ configFile: false })],
  resolve: { alias: { '@shared': resolve(import.meta.dirname, 'shared') } },
  test: {
    include: ['main/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/.scratch/**'],
    pool: 'forks',
    // Two files at a time: Vitest's default leaves one core of CI's two idle (cores - 1), and most
    // files wait on child processes, sockets or timers as much as they compute.
    maxWorkers: 2,
    // Training tests run for real on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
