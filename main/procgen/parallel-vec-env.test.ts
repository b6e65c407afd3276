import { afterEach, describe, expect, it } from 'vitest';
import { VecEnv } from '../../shared/procgen/vec/vec-env.ts';
import { ParallelVecEnv, splitEnvs } from './parallel-vec-env.ts';

const open: ParallelVecEnv[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((env) => env.close()));
});

async function parallel(...args: Parameters<typeof ParallelVecEnv.create>): Promise<ParallelVecEnv> {
  const env = await ParallelVecEnv.create(...args);
  open.push(env);
  return env;
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe('ParallelVecEnv', () => {
  it('splits environments into near-equal contiguous slices', () => {
    expect(splitEnvs(5, 3)).toEqual([
      { first: 0, end: 1 },
      { first: 1, end: 3 },
      { first: 3, end: 5 },
    ]);
  });

  it.each([
    ['starpilot', 2],
    ['jumper', 3],
  ] as const)('%s on %i threads equals the single-thread VecEnv byte for byte', async (game, threads) => {
    const config = { game, mode: 'easy' as const, numEnvs: 5, randSeed: 3, numLevels: 20, startLevel: 100 };
    const env = await parallel(config, threads);
    expect(env.threads).toBe(threads);
    const single = new VecEnv(config);
    let x = 17;
    for (let t = 0; t < 300; t++) {
      for (let k = 0; k < config.numEnvs; k++) {
        x = (Math.imul(1103515245, x) + 12345) & 0x7fffffff;
        env.buffers.actions[k] = (x >>> 16) % 15;
      }
      env.step();
      single.stepWith(env.buffers.actions);
      const b = env.buffers;
      const s = single.buffers;
      expect(sameBytes(b.observations, s.observations)).toBe(true);
      expect(sameBytes(b.rewards, s.rewards) && sameBytes(b.dones, s.dones) && sameBytes(b.levelSeeds, s.levelSeeds)).toBe(true);
      expect(sameBytes(b.prevLevelSeeds, s.prevLevelSeeds) && sameBytes(b.prevLevelComplete, s.prevLevelComplete)).toBe(true);
      expect(sameBytes(b.finishedReturns, s.finishedReturns) && sameBytes(b.finishedLengths, s.finishedLengths)).toBe(true);
    }
  });

  it("reports a worker's error on the step that failed, naming the environment, and keeps stepping afterwards", async () => {
    const env = await parallel({ game: 'bigfish', mode: 'easy', numEnvs: 4 }, 2);
    expect(() => env.stepWith([4, 4, 4, 99])).toThrow(/environment 3: .*99.*0\.\.14/);
    env.stepWith([4, 4, 4, 4]);
    expect(() => env.stepWith([4, 4])).toThrow(/got 2 actions for 4 environments/);
  });

  it('closes its workers and refuses to step afterwards', async () => {
    const env = await ParallelVecEnv.create({ game: 'bigfish', mode: 'easy', numEnvs: 2 }, 2);
    await env.close();
    expect(() => env.step()).toThrow(/closed ParallelVecEnv/);
  });

  it('refuses a bad thread count or configuration before starting workers', async () => {
    await expect(ParallelVecEnv.create({ game: 'bigfish', mode: 'easy', numEnvs: 2 }, 0)).rejects.toThrow(/invalid thread count 0: use an integer in 1\.\.256/);
    await expect(ParallelVecEnv.create({ game: 'chess' as 'bigfish', mode: 'easy', numEnvs: 2 }, 2)).rejects.toThrow(/unknown game 'chess'/);
  });
});
