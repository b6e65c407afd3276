import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorker } from '../procgen/start-worker.ts';
import { prepareWorkerBundle } from './worker-bundles.ts';

const dir = mkdtempSync(join(tmpdir(), 'ddrl-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A worker entry (TypeScript, with an import) that reports what it imported and where it runs from. */
const entry = pathToFileURL(join(dir, 'reporter.ts'));
// ES modules, as the repository's are (from source, tsx would otherwise load them as CommonJS).
writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
writeFileSync(
  join(dir, 'reporter.ts'),
  "import { parentPort } from 'node:worker_threads';\nimport { word } from './word.ts';\nconst own: string = import.meta.url;\nparentPort!.postMessage({ word, own });\n",
);
const writeWord = (word: string, secondsFromNow: number) => {
  const path = join(dir, 'word.ts');
  writeFileSync(path, `export const word: string = '${word}';\n`);
  const at = Date.now() / 1000 + secondsFromNow;
  utimesSync(path, at, at);
};

function report(): Promise<{ word: string; own: string }> {
  const worker = startWorker(entry, {});
  return new Promise((resolve, reject) => {
    worker.once('message', (message: { word: string; own: string }) => void worker.terminate().then(() => resolve(message)));
    worker.once('error', reject);
  });
}

describe('worker bundles', () => {
  const bundleDir = join(dir, 'bundles');

  it('start the bundle of an entry, and build it again when a source it bundles changed', async () => {
    writeWord('first', -60);
    expect(await prepareWorkerBundle(entry, bundleDir)).toBeNull();
    expect(await report()).toEqual({ word: 'first', own: pathToFileURL(join(bundleDir, 'reporter.mjs')).href });

    // An edited import, newer than the bundle: the next preparation rebuilds, so no stale code runs.
    writeWord('second', 60);
    expect(await prepareWorkerBundle(entry, bundleDir)).toBeNull();
    expect((await report()).word).toBe('second');
  });

  it('fall back to the source, saying why, where the bundle cannot be written', async () => {
    writeWord('third', 120);
    const unwritable = join(dir, 'a-file');
    writeFileSync(unwritable, '');
    const reason = await prepareWorkerBundle(entry, join(unwritable, 'bundles'));
    expect(reason).toMatch(/could not bundle reporter\.ts into .*a-file\/bundles/);
    // From source again (not the earlier bundle): the current word, from the .ts entry itself.
    expect(await report()).toEqual({ word: 'third', own: entry.href });
  });
});
