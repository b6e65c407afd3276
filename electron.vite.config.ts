import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = import.meta.dirname;
const alias = { '@shared': resolve(root, 'shared') };

// electron-vite reads the Electron version from its installed package; where the optional
// binary could not install, build for the version package.json asks for.
const packageJson = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { optionalDependencies: { electron: string } };
process.env.ELECTRON_MAJOR_VER ??= /\d+/.exec(packageJson.optionalDependencies.electron)?.[0];

// Vite's dev server injects <style> tags and talks to the page over its own WebSocket; the built app keeps the strict policy.
const devServerCsp: Plugin = {
  name: 'ddrl-dev-server-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws://localhost:*"),
};

export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      outDir: 'out/main',
      rolldownOptions: { input: { index: resolve(root, 'main/electron/main.ts') } },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be one CommonJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { preload: resolve(root, 'main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    // The app's icon (resources/icon.svg) is the web UI's favicon too.
    publicDir: resolve(root, 'resources'),
    resolve: { alias },
    plugins: [svelte({ configFile: false }), devServerCsp],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // electron-vite leaves the renderer unminified; the headless host serves it over HTTP, where
      // parsing half the bytes shortens every fresh load.
      minify: true,
      rolldownOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
