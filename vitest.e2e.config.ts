import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// End-to-end specs: the real host (a child process) driven through Debian's Chromium, one file at a time.
export default defineConfig({
  resolve: { alias: { '@shared': resolve(import.meta.dirname, 'shared') } },
  test: {
    include: ['e2e/**/*.e2e.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
