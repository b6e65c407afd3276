/**
 * Starts a worker thread from a `.ts` or `.js` entry. From source, Node 20
 * ignores loader hooks passed in a worker's `execArgv` (nodejs/node#47747,
 * fixed in 22), so a `.ts` entry is started through a two-line bootstrap that
 * registers tsx in the worker and then imports the entry. Where the host has
 * bundled an entry (`main/host/worker-bundles.ts`), the bundle starts instead.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Entry URL -> its bundle's URL, for the entries this process bundled. */
const bundles = new Map<string, URL>();

/** From now on `startWorker(entry)` starts `bundle` (undefined: from source again). */
export function useWorkerBundle(entry: URL, bundle: URL | undefined): void {
  if (bundle) bundles.set(entry.href, bundle);
  else bundles.delete(entry.href);
}

export function startWorker(entry: URL, options: WorkerOptions): Worker {
  const bundle = bundles.get(entry.href);
  if (bundle) return new Worker(bundle, options);
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
