import { describe, expect, it } from 'vitest';
import { ProcgenEnv } from '../env.ts';
import { GAME_NAMES, type GameName } from '../games/index.ts';
import { FrameRenderer } from '../render/frame-renderer.ts';
import { allocateVecBuffers, OBSERVATION_BYTES, vecBufferViews } from './vec-buffers.ts';
import { VecEnv } from './vec-env.ts';

/** A fixed pseudo-random action stream. */
function actionStream(seed: number): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(1103515245, x) + 12345) & 0x7fffffff;
    return (x >>> 16) % 15;
  };
}

/** Index of the first differing byte, or -1 (vitest's deep equality is slow on frames). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('VecEnv', () => {
  it.each(GAME_NAMES)('%s: equals N separate environments byte for byte, through auto-resets', (name: GameName) => {
    const numEnvs = 3;
    const config = { game: name, mode: 'easy' as const, numEnvs, randSeed: 5, numLevels: 50, startLevel: 100 };
    const vec = new VecEnv(config);
    const singles = Array.from(
      { length: numEnvs },
      (_, k) => new ProcgenEnv({ game: name, mode: 'easy', randSeed: 5, numLevels: 50, startLevel: 100, envIndex: k }),
    );
    const renderers = singles.map(() => new FrameRenderer(name, 'easy'));
    const frame = new Uint8Array(OBSERVATION_BYTES);
    const next = actionStream(9);
    const actions = new Int32Array(numEnvs);
    let resets = 0;
    for (let t = 0; t <= 400; t++) {
      for (let k = 0; k < numEnvs; k++) {
        const env = singles[k]!;
        renderers[k]!.render(env.game, frame);
        expect(firstDifference(vec.buffers.observations.subarray(k * OBSERVATION_BYTES, (k + 1) * OBSERVATION_BYTES), frame)).toBe(-1);
        expect(vec.buffers.rewards[k]).toBe(Math.fround(env.reward));
        expect(vec.buffers.dones[k]).toBe(env.done ? 1 : 0);
        expect(vec.buffers.levelSeeds[k]).toBe(env.levelSeed);
        expect(vec.buffers.prevLevelSeeds[k]).toBe(env.prevLevelSeed);
        expect(vec.buffers.prevLevelComplete[k]).toBe(env.prevLevelComplete ? 1 : 0);
        expect(vec.buffers.finishedReturns[k]).toBe(Math.fround(env.finishedReturn));
        expect(vec.buffers.finishedLengths[k]).toBe(env.finishedLength);
        if (t > 0 && env.done) resets++;
      }
      for (let k = 0; k < numEnvs; k++) actions[k] = next();
      vec.stepWith(actions);
      singles.forEach((env, k) => env.step(actions[k]!));
    }
    expect(resets).toBeGreaterThan(0);
  });

  it('plays only levels of its level set, and different environments get different level streams', () => {
    const vec = new VecEnv({ game: 'starpilot', mode: 'easy', numEnvs: 4, numLevels: 7, startLevel: 300 });
    const next = actionStream(1);
    const seen = new Set<number>();
    for (let t = 0; t < 600; t++) {
      vec.stepWith([next(), next(), next(), next()]);
      for (const seed of vec.buffers.levelSeeds) {
        expect(seed).toBeGreaterThanOrEqual(300);
        expect(seed).toBeLessThan(307);
        seen.add(seed);
      }
    }
    expect(seen.size).toBeGreaterThan(3);
    const first = new VecEnv({ game: 'bigfish', mode: 'easy', numEnvs: 8 }).buffers.levelSeeds;
    expect(new Set(first).size).toBe(8);
  });

  it('steps only its slice of shared buffers', () => {
    const buffers = allocateVecBuffers(4);
    const config = { game: 'bigfish' as const, mode: 'easy' as const, numEnvs: 4 };
    const tail = new VecEnv(config, buffers, { first: 2, end: 4 });
    const whole = new VecEnv(config);
    expect(buffers.observations.subarray(0, 2 * OBSERVATION_BYTES).every((b) => b === 0)).toBe(true);
    expect(buffers.observations.subarray(2 * OBSERVATION_BYTES)).toEqual(whole.buffers.observations.subarray(2 * OBSERVATION_BYTES));
    expect(tail.envs).toHaveLength(2);
    expect(vecBufferViews(buffers.buffer, 4).levelSeeds).toEqual(buffers.levelSeeds);
  });

  it('restores a cloned environment exactly: the same actions then give the same frames and rewards', () => {
    const vec = new VecEnv({ game: 'jumper', mode: 'easy', numEnvs: 2 });
    const next = actionStream(4);
    for (let t = 0; t < 30; t++) vec.stepWith([next(), next()]);
    const snapshot = vec.cloneEnv(1);
    const observed = vec.buffers.observations.slice();
    const later: number[] = Array.from({ length: 60 }, () => next());
    const run = () =>
      later.map((a) => {
        vec.stepWith([4, a]);
        return {
          reward: vec.buffers.rewards[1],
          done: vec.buffers.dones[1],
          level: vec.buffers.levelSeeds[1],
          frame: vec.buffers.observations.slice(OBSERVATION_BYTES),
        };
      });
    const first = run();
    vec.restoreEnv(1, snapshot);
    expect(firstDifference(vec.buffers.observations.subarray(OBSERVATION_BYTES), observed.subarray(OBSERVATION_BYTES))).toBe(-1);
    const again = run();
    again.forEach((step, t) => {
      expect([step.reward, step.done, step.level]).toEqual([first[t]!.reward, first[t]!.done, first[t]!.level]);
      expect(firstDifference(step.frame, first[t]!.frame)).toBe(-1);
    });
    expect(() => vec.cloneEnv(2)).toThrow(/environment 2 is not stepped here: this VecEnv holds environments 0\.\.1/);
  });

  it('names the environment, the bad action and the valid range', () => {
    const vec = new VecEnv({ game: 'jumper', mode: 'easy', numEnvs: 2 });
    expect(() => vec.stepWith([4, 15])).toThrow(/environment 1: .*15.*0\.\.14/);
    expect(() => vec.stepWith([4])).toThrow(/got 1 actions for 2 environments/);
  });

  it('refuses a bad configuration with the valid values', () => {
    expect(() => new VecEnv({ game: 'pong' as GameName, mode: 'easy', numEnvs: 2 })).toThrow(/unknown game 'pong': valid games are bigfish, starpilot, jumper/);
    expect(() => new VecEnv({ game: 'bigfish', mode: 'medium' as 'easy', numEnvs: 2 })).toThrow(/unknown mode 'medium': valid modes are easy, hard/);
    expect(() => new VecEnv({ game: 'bigfish', mode: 'easy', numEnvs: 0 })).toThrow(/invalid number of environments 0: use an integer in 1\.\.4096/);
    expect(() => new VecEnv({ game: 'bigfish', mode: 'easy', numEnvs: 2, numLevels: -1 })).toThrow(/numLevels -1/);
    expect(() => new VecEnv({ game: 'bigfish', mode: 'easy', numEnvs: 2 }, allocateVecBuffers(2), { first: 1, end: 3 })).toThrow(
      /invalid environment slice \[1, 3\)/,
    );
  });
});
