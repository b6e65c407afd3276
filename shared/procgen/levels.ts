import { RandGen } from './engine/rng.ts';

const INT32_MAX = 2147483647;

/** Which levels an environment plays (Procgen's `num_levels` / `start_level`). */
export interface LevelSet {
  /** Number of distinct levels; 0 means unrestricted (any seed in [0, 2^31 - 1)). */
  numLevels: number;
  /** First level seed when `numLevels > 0`. */
  startLevel: number;
}

/** Throws a message naming the bad value and the valid range unless the level set is valid. */
export function checkLevelSet({ numLevels, startLevel }: LevelSet): void {
  if (!Number.isInteger(numLevels) || numLevels < 0 || numLevels > INT32_MAX) {
    throw new RangeError(`Invalid numLevels ${numLevels}: use an integer >= 0 (0 = unrestricted levels).`);
  }
  if (!Number.isInteger(startLevel) || startLevel < 0 || startLevel + numLevels > INT32_MAX) {
    throw new RangeError(`Invalid startLevel ${startLevel}: use an integer >= 0 with startLevel + numLevels <= ${INT32_MAX}.`);
  }
}

/** Throws unless `seed` is a valid level seed (an integer in 0..2^31-1). */
export function checkLevelSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > INT32_MAX) {
    throw new RangeError(`Invalid level seed ${seed}: level seeds are integers 0..${INT32_MAX}.`);
  }
}

/**
 * Draws level seeds as Procgen does (vecgame.cpp / game.cpp): a per-environment
 * generator seeded from the shared `rand_seed` stream, and on every reset
 * `randint(low, high)` over [startLevel, startLevel + numLevels), or
 * [0, INT32_MAX) when numLevels is 0. So "levels 100..299" means the same
 * levels here as in the paper's Procgen runs.
 */
export class LevelSeedSampler {
  readonly low: number;
  readonly high: number;
  readonly rng = new RandGen();

  constructor(levels: LevelSet, seedWord: number) {
    checkLevelSet(levels);
    this.low = levels.numLevels === 0 ? 0 : levels.startLevel;
    this.high = levels.numLevels === 0 ? INT32_MAX : levels.startLevel + levels.numLevels;
    this.rng.seed(seedWord);
  }

  /** The next level seed. */
  next(): number {
    return this.rng.randint(this.low, this.high);
  }

  /**
   * Per-environment seed words for `count` environments sharing `randSeed`
   * (env k gets the k-th raw draw of an mt19937 seeded with randSeed).
   */
  static seedWords(randSeed: number, count: number): Int32Array {
    const shared = new RandGen();
    shared.seed(randSeed);
    const words = new Int32Array(count);
    for (let k = 0; k < count; k++) words[k] = shared.randintRaw();
    return words;
  }
}
