import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { Random } from '../random.ts';
import { BatchBuilder, disposeBatch, IMAGE_SIZE, OBS_VALUES } from './data.ts';

beforeAll(async () => {
  await initBackend('cpu');
});

/** Reference: the frame moved by (dx, dy), edges repeated, one pixel at a time. */
function shifted(frame: Uint8Array, dx: number, dy: number): Float32Array {
  const out = new Float32Array(OBS_VALUES);
  const clamp = (v: number) => Math.min(IMAGE_SIZE - 1, Math.max(0, v));
  for (let y = 0; y < IMAGE_SIZE; y++)
    for (let x = 0; x < IMAGE_SIZE; x++)
      for (let c = 0; c < 3; c++) out[(y * IMAGE_SIZE + x) * 3 + c] = frame[(clamp(y - dy) * IMAGE_SIZE + clamp(x - dx)) * 3 + c]!;
  return out;
}

describe('batch augmentation by random shifts', () => {
  const count = 6;
  const obs = new Uint8Array(count * OBS_VALUES).map((_, i) => (i * 37 + (i >> 7)) % 251);
  const data = { count, obs, actions: new Int32Array(count) };

  it('moves every frame by an offset within the bound, edges repeated, and moves some', () => {
    const builder = new BatchBuilder(data, count, 15);
    const batch = builder.build([0, 1, 2, 3, 4, 5], count, { pixels: 2, random: new Random(3) });
    const pixels = batch.obs.dataSync();
    disposeBatch(batch);
    const offsets: string[] = [];
    for (let j = 0; j < count; j++) {
      const got = pixels.subarray(j * OBS_VALUES, (j + 1) * OBS_VALUES);
      const frame = obs.subarray(j * OBS_VALUES, (j + 1) * OBS_VALUES);
      const match = [-2, -1, 0, 1, 2]
        .flatMap((dx) => [-2, -1, 0, 1, 2].map((dy) => [dx, dy] as const))
        .find(([dx, dy]) => shifted(frame, dx, dy).every((v, k) => v === got[k]));
      expect(match, `frame ${j} is not a shift of at most 2 pixels`).toBeDefined();
      offsets.push(match!.join(','));
    }
    expect(offsets.some((o) => o !== '0,0')).toBe(true);
  });

  it('leaves frames untouched without a shift', () => {
    const batch = new BatchBuilder(data, count, 15).build([5, 0]);
    expect(Array.from(batch.obs.dataSync().subarray(0, OBS_VALUES))).toEqual(Array.from(obs.subarray(5 * OBS_VALUES, 6 * OBS_VALUES)));
    disposeBatch(batch);
    expect(tf.memory().numTensors).toBe(0);
  });
});
