/** Reading dataset files stays bounded and explains bad input: zip bombs, lying sizes, bad shapes, bad meta.json. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDatasetFiles } from './dataset-files.ts';
import { encodeNpy, encodeNpz, NpyFormatError } from './npy.ts';

const STEPS = 4;
const arrays = {
  observations: { data: new Uint8Array(STEPS * 64 * 64 * 3).fill(7), shape: [STEPS, 64, 64, 3] },
  actions: { data: Int32Array.of(0, 1, 2, 3), shape: [STEPS] },
  rewards: { data: Float32Array.of(0, 0, 1, 0), shape: [STEPS] },
  episode_lengths: { data: Int32Array.of(STEPS), shape: [1] },
};
const LIMIT = 1024 ** 3;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-dataset-files-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Rewrites the uncompressed size an entry declares, in its local header and the central directory. */
function declareSize(zip: Uint8Array, entry: string, size: number): Uint8Array {
  const bytes = Buffer.from(zip);
  for (let i = 0; i + 46 < bytes.length; i++) {
    const signature = bytes.readUInt32LE(i);
    if (signature === 0x04034b50 && bytes.toString('latin1', i + 30, i + 30 + bytes.readUInt16LE(i + 26)) === entry) bytes.writeUInt32LE(size, i + 22);
    if (signature === 0x02014b50 && bytes.toString('latin1', i + 46, i + 46 + bytes.readUInt16LE(i + 28)) === entry) bytes.writeUInt32LE(size, i + 24);
  }
  return new Uint8Array(bytes);
}

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const npzWith = (extra: Record<string, Uint8Array>) =>
  zipSync({
    ...Object.fromEntries(Object.entries(arrays).map(([key, a]) => [`${key}.npy`, encodeNpy(a.data, a.shape)])),
    ...extra,
  });

describe('reading an .npz archive', () => {
  it('never inflates entries that are not .npy arrays (a 3.8 GB junk entry is skipped)', () => {
    const bomb = declareSize(npzWith({ 'junk.bin': new Uint8Array(1 << 20) }), 'junk.bin', 0xf000_0000);
    const before = process.memoryUsage().rss;
    const { episodes } = readDatasetFiles(write('junk.npz', bomb), LIMIT);
    expect(episodes).toHaveLength(1);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
  });

  it('refuses arrays declaring more bytes than the limit before inflating any', () => {
    const bomb = declareSize(npzWith({}), 'observations.npy', 0xf000_0000);
    expect(() => readDatasetFiles(write('bomb.npz', bomb), LIMIT)).toThrow(NpyFormatError);
    expect(() => readDatasetFiles(write('bomb.npz', bomb), LIMIT)).toThrow(
      /declares more than 1073741824 bytes of arrays \(at observations\.npy\): larger than the import limit\. Raise it with DDRL_IMPORT_MAX_BYTES/,
    );
  });

  it('inflates an entry only to the size it declares: one that lies is cut there and named as truncated', () => {
    const lying = declareSize(npzWith({}), 'observations.npy', 1000);
    expect(() => readDatasetFiles(write('lying.npz', lying), LIMIT)).toThrow(
      /observations\.npy is truncated: shape \(4, 64, 64, 3\) of '\|u1' needs 49152 bytes/,
    );
  });

  it('refuses an archive or folder larger than the limit', () => {
    expect(() => readDatasetFiles(write('fine.npz', encodeNpz(arrays)), 1000)).toThrow(/more than the import limit of 1000/);
  });

  it('names a negative dimension in an array header', () => {
    // Same header length: '(4,), }' becomes '(-4,),}'.
    const negative = new Uint8Array(
      Buffer.from(
        Buffer.from(encodeNpy(Int32Array.of(1, 2, 3, 4), [4]))
          .toString('latin1')
          .replace('(4,), }', '(-4,),}'),
        'latin1',
      ),
    );
    const archive = zipSync({
      ...Object.fromEntries(Object.entries(arrays).map(([key, a]) => [`${key}.npy`, encodeNpy(a.data, a.shape)])),
      'actions.npy': negative,
    });
    expect(() => readDatasetFiles(write('negative.npz', archive), LIMIT)).toThrow(
      /actions\.npy declares shape \(-4,\): every dimension must be a whole number from 0/,
    );
  });
});

describe('reading a folder', () => {
  function folder(name: string, meta: string): string {
    const path = join(dir, name);
    mkdirSync(path);
    for (const [key, a] of Object.entries(arrays)) writeFileSync(join(path, `${key}.npy`), encodeNpy(a.data, a.shape));
    writeFileSync(join(path, 'meta.json'), meta);
    return path;
  }

  it('reads meta.json naming the game and mode', () => {
    expect(readDatasetFiles(folder('good', '{"game": "bigfish", "mode": "hard"}'), LIMIT).meta).toEqual({ game: 'bigfish', mode: 'hard' });
  });

  it('explains a meta.json that is null, an array or has a game that is not a name', () => {
    expect(() => readDatasetFiles(folder('null', 'null'), LIMIT)).toThrow(/meta\.json holds null, not an object: write \{"game": "bigfish", "mode": "easy"\}/);
    expect(() => readDatasetFiles(folder('array', '[1]'), LIMIT)).toThrow(/meta\.json holds \[1\], not an object/);
    expect(() => readDatasetFiles(folder('number', '{"game": 5}'), LIMIT)).toThrow(/meta\.json: 'game' is 5, not a name/);
  });
});
