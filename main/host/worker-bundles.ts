/**
 * Worker entries bundled to one JavaScript file each, for the host. From source a
 * worker registers tsx and resolves and transforms its whole import graph (about
 * 270 files for the call pool's worker): 0.8 s before it can answer, which a
 * freshly started host's first frame-heavy call waits on. A bundle loads in half
 * that. esbuild writes it under `out/workers/` (with the list of its inputs) in a
 * fraction of a second; a bundle older than any of its inputs is built again, so
 * an edited source never runs stale. Where a bundle cannot be built or written,
 * the worker starts from source as before, and the reason is returned.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { useWorkerBundle } from '../procgen/start-worker.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const defaultBundleDir = join(repoRoot, 'out', 'workers');

interface BundleManifest {
  /** Absolute paths of every file bundled. */
  readonly inputs: readonly string[];
}

/** Whether the bundle exists and no input changed since it was written. */
function isFresh(bundle: string, manifestPath: string): boolean {
  if (!existsSync(bundle) || !existsSync(manifestPath)) return false;
  const builtAt = statSync(bundle).mtimeMs;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as BundleManifest;
  return manifest.inputs.every((input) => existsSync(input) && statSync(input).mtimeMs <= builtAt);
}

async function build(entryPath: string, bundle: string, manifestPath: string): Promise<void> {
  const { build: esbuild } = await import('esbuild');
  const result = await esbuild({
    entryPoints: [entryPath],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    absWorkingDir: repoRoot,
    alias: { '@shared': join(repoRoot, 'shared') },
    logLevel: 'silent',
    plugins: [
      {
        name: 'packages-stay-external',
        setup(builder) {
          // Packages load from node_modules as usual (one TensorFlow.js engine, native addons), except
          // the modules of tfjs-core's ES build that stock-gradients.ts imports by path: their own
          // imports have no file extension, which only a bundler (or tsx) resolves.
          builder.onResolve({ filter: /^[^./]/ }, (args) => {
            const inEsBuild = args.importer.includes('/@tensorflow/tfjs-core/dist/') || args.path.startsWith('@tensorflow/tfjs-core/dist/');
            return args.path.startsWith('@shared/') || inEsBuild ? undefined : { path: args.path, external: true };
          });
        },
      },
    ],
  });
  const code = result.outputFiles[0]!.contents;
  const inputs = Object.keys(result.metafile.inputs).map((input) => resolve(repoRoot, input));
  mkdirSync(join(bundle, '..'), { recursive: true });
  // Written aside and renamed, so a host starting beside this one never loads half a file.
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(bundle + suffix, code);
  writeFileSync(manifestPath + suffix, JSON.stringify({ inputs } satisfies BundleManifest));
  renameSync(bundle + suffix, bundle);
  renameSync(manifestPath + suffix, manifestPath);
}

/**
 * Makes `startWorker(entry)` start a bundle of `entry`, building it first where it is
 * missing or stale. Returns null when the bundle is in use, else why the worker will
 * start from source.
 */
export async function prepareWorkerBundle(entry: URL, bundleDir = defaultBundleDir): Promise<string | null> {
  const entryPath = fileURLToPath(entry);
  const bundle = join(bundleDir, basename(entryPath).replace(/\.ts$/, '.mjs'));
  const manifestPath = `${bundle}.inputs.json`;
  try {
    if (!isFresh(bundle, manifestPath)) await build(entryPath, bundle, manifestPath);
  } catch (error) {
    useWorkerBundle(entry, undefined);
    return `could not bundle ${basename(entryPath)} into ${bundleDir} (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
  useWorkerBundle(entry, pathToFileURL(bundle));
  return null;
}
