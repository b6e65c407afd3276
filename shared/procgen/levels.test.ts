import { describe, expect, it } from 'vitest';
import { ProcgenEnv } from './env.ts';
import { checkLevelSeed, LevelSeedSampler } from './levels.ts';

/**
 * Level seeds real Procgen draws (recorded from libstdc++'s mt19937 with vecgame.cpp's
 * seeding): for rand_seed r and env k, three draws with num_levels=200, start_level=100,
 * then three more with num_levels=0.
 */
const PROCGEN_SEEDS: Record<number, number[][]> = {
  0: [
    [171, 265, 225, 1851516025, 1678418526, 1517557411],
    [206, 110, 104, 1697768013, 327561369, 322101035],
    [237, 173, 137, 1460679972, 1025023668, 1394381146],
  ],
  12345: [
    [275, 218, 246, 204696725, 677292253, 1678749851],
    [292, 279, 223, 624459225, 2075808608, 1451141328],
    [283, 193, 298, 378270707, 1177747075, 1731121240],
  ],
};

describe('level sets', () => {
  for (const [randSeed, perEnv] of Object.entries(PROCGEN_SEEDS)) {
    it(`draws the same level seeds as Procgen for rand_seed ${randSeed}`, () => {
      const words = LevelSeedSampler.seedWords(Number(randSeed), 3);
      perEnv.forEach((expected, k) => {
        const training = new LevelSeedSampler({ numLevels: 200, startLevel: 100 }, words[k]!);
        expect([training.next(), training.next(), training.next()]).toEqual(expected.slice(0, 3));
        const anyLevel = new LevelSeedSampler({ numLevels: 0, startLevel: 0 }, words[k]!);
        for (let i = 0; i < 3; i++) anyLevel.next(); // each draw uses one word, whatever the range
        expect([anyLevel.next(), anyLevel.next(), anyLevel.next()]).toEqual(expected.slice(3));
      });
    });
  }

  it('an environment starts on the level Procgen would give it', () => {
    const env = new ProcgenEnv({ game: 'bigfish', mode: 'easy', numLevels: 200, startLevel: 100, randSeed: 12345, envIndex: 1 });
    expect(env.levelSeed).toBe(292);
    expect(env.game.levelSeed).toBe(292);
  });

  it('stays inside [startLevel, startLevel + numLevels) and covers it', () => {
    const sampler = new LevelSeedSampler({ numLevels: 5, startLevel: 100 }, 9);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(sampler.next());
    expect([...seen].sort()).toEqual([100, 101, 102, 103, 104]);
  });

  it('numLevels = 0 means any level: seeds spread over [0, 2^31 - 1)', () => {
    const sampler = new LevelSeedSampler({ numLevels: 0, startLevel: 0 }, 3);
    const seeds = Array.from({ length: 1000 }, () => sampler.next());
    expect(Math.min(...seeds)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...seeds)).toBeLessThan(2 ** 31 - 1);
    expect(seeds.filter((s) => s >= 300).length).toBeGreaterThan(990);
    expect(new Set(seeds).size).toBe(1000);
  });

  it('numLevels = 1 always plays startLevel', () => {
    const env = new ProcgenEnv({ game: 'jumper', mode: 'easy', numLevels: 1, startLevel: 42 });
    const seeds = new Set<number>([env.levelSeed]);
    for (let t = 0; t < 3000; t++) {
      env.step(t % 15);
      seeds.add(env.levelSeed);
    }
    expect([...seeds]).toEqual([42]);
  });

  it.each([
    [{ numLevels: -1, startLevel: 0 }, 'Invalid numLevels -1: use an integer >= 0 (0 = unrestricted levels).'],
    [{ numLevels: 2.5, startLevel: 0 }, 'Invalid numLevels 2.5'],
    [{ numLevels: 10, startLevel: -4 }, 'Invalid startLevel -4: use an integer >= 0 with startLevel + numLevels <= 2147483647.'],
    [{ numLevels: 10, startLevel: 2147483640 }, 'Invalid startLevel 2147483640'],
  ])('refuses %j, naming the bad value and the valid range', (levels, message) => {
    expect(() => new LevelSeedSampler(levels, 0)).toThrow(message);
  });

  it('checks level seeds', () => {
    expect(() => checkLevelSeed(-1)).toThrow('Invalid level seed -1: level seeds are integers 0..2147483647.');
    expect(() => checkLevelSeed(1.5)).toThrow('Invalid level seed 1.5');
    expect(() => checkLevelSeed(2147483647)).not.toThrow();
  });
});
