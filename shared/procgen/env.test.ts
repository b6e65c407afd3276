import { describe, expect, it } from 'vitest';
import { ProcgenEnv } from './env.ts';
import { GAME_NAMES } from './games/index.ts';
import { FrameRenderer } from './render/frame-renderer.ts';

/** A fixed pseudo-random action stream (the traces' LCG). */
function actionStream(seed: number): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(1103515245, x) + 12345) & 0x7fffffff;
    return (x >>> 16) % 15;
  };
}

describe('ProcgenEnv', () => {
  it('auto-resets: the ending step reports its reward and done, info names the old and new level', () => {
    const env = new ProcgenEnv({ game: 'jumper', mode: 'easy', numLevels: 50, startLevel: 1000, randSeed: 3 });
    const next = actionStream(1);
    let episodes = 0;
    let sawComplete = false;
    let episodeReturn = 0;
    let episodeLength = 0;
    for (let t = 0; t < 20000 && episodes < 12; t++) {
      const seedBefore = env.levelSeed;
      env.step(next());
      episodeReturn += env.reward;
      episodeLength++;
      expect(env.prevLevelSeed).toBe(seedBefore);
      if (!env.done) {
        expect(env.levelSeed).toBe(seedBefore);
        expect(env.prevLevelComplete).toBe(false);
        continue;
      }
      episodes++;
      sawComplete ||= env.prevLevelComplete;
      expect(env.prevLevelComplete).toBe(env.reward === 10);
      expect(env.game.curTime).toBe(0);
      expect(env.game.levelSeed).toBe(env.levelSeed);
      expect(env.levelSeed).toBeGreaterThanOrEqual(1000);
      expect(env.levelSeed).toBeLessThan(1050);
      expect(env.episodeLength).toBe(0);
      expect([env.finishedReturn, env.finishedLength]).toEqual([episodeReturn, episodeLength]);
      episodeReturn = 0;
      episodeLength = 0;
    }
    expect(episodes).toBe(12);
    expect(sawComplete).toBe(true);
  });

  it('the first observation is flagged done (Procgen "first"), with no previous level', () => {
    const env = new ProcgenEnv({ game: 'bigfish', mode: 'easy' });
    expect([env.done, env.prevLevelSeed, env.prevLevelComplete, env.game.curTime]).toEqual([true, 0, false, 0]);
  });

  it('sequential levels continue with seed + 997 after a completed level and do not report done', () => {
    const env = new ProcgenEnv({ game: 'jumper', mode: 'easy', numLevels: 1, startLevel: 0, useSequentialLevels: true });
    env.step(0); // level 0 ends at once on the carrot with action 0 (see the traces)
    expect([env.reward, env.done, env.prevLevelComplete, env.levelSeed]).toEqual([10, false, true, 997]);
  });

  it('refuses an action outside 0..14, naming it', () => {
    const env = new ProcgenEnv({ game: 'starpilot', mode: 'easy' });
    expect(() => env.step(15)).toThrow('Invalid action 15: actions are integers 0..14.');
    expect(() => env.step(-1)).toThrow('Invalid action -1');
    expect(() => env.step(2.5)).toThrow('Invalid action 2.5');
  });

  it('refuses an unknown game or mode, listing the valid ones', () => {
    expect(() => new ProcgenEnv({ game: 'coinrun', mode: 'easy' })).toThrow("Unknown game 'coinrun': valid games are bigfish, starpilot, jumper.");
    // @ts-expect-error: a wrong mode from untyped input
    expect(() => new ProcgenEnv({ game: 'jumper', mode: 'memory' })).toThrow("Unknown mode 'memory': valid modes are easy, hard.");
  });

  for (const game of GAME_NAMES) {
    for (const mode of ['easy', 'hard'] as const) {
      it(`${game} ${mode}: same options and actions give the same episodes; clone/restore continues identically, frames byte for byte`, () => {
        const options = { game, mode, numLevels: 0, randSeed: 17 } as const;
        const a = new ProcgenEnv(options);
        const b = new ProcgenEnv(options);
        const clone = new ProcgenEnv({ ...options, randSeed: 99 });
        const renderA = new FrameRenderer(game, mode);
        const renderClone = new FrameRenderer(game, mode);
        const nextA = actionStream(5);
        const nextB = actionStream(5);
        for (let t = 0; t < 1500; t++) {
          a.step(nextA());
          b.step(nextB());
          if (t % 100 === 0) expect(state(b)).toEqual(state(a));
        }
        clone.copyFrom(a);
        expect(state(clone)).toEqual(state(a));
        const nextClone = actionStream(77);
        const nextOriginal = actionStream(77);
        for (let t = 0; t < 1500; t++) {
          a.step(nextOriginal());
          clone.step(nextClone());
          expect(clone.reward).toBe(a.reward);
          expect(clone.done).toBe(a.done);
          if (t % 50 === 0) {
            expect(state(clone)).toEqual(state(a));
            expect(Buffer.from(renderClone.renderToArray(clone.game)).equals(Buffer.from(renderA.renderToArray(a.game)))).toBe(true);
          }
        }
        expect(clone.game.rng.nextUint32()).toBe(a.game.rng.nextUint32());
        expect(clone.levels.next()).toBe(a.levels.next());
      });
    }
  }

  it('clone() gives an independent copy that continues identically', () => {
    const env = new ProcgenEnv({ game: 'starpilot', mode: 'hard', randSeed: 8 });
    const next = actionStream(3);
    for (let t = 0; t < 700; t++) env.step(next());
    const copy = env.clone();
    const gameCopy = env.game.clone();
    const agentAtClone = { ...env.game.agent };
    expect(state(copy)).toEqual(state(env));
    const nextCopy = actionStream(11);
    const nextEnv = actionStream(11);
    for (let t = 0; t < 700; t++) {
      env.step(nextEnv());
      copy.step(nextCopy());
    }
    expect(state(copy)).toEqual(state(env));
    expect({ ...gameCopy.agent }).toEqual(agentAtClone); // the clones do not share state
  });

  it('refuses to restore a state of another game or level set', () => {
    const bigfish = new ProcgenEnv({ game: 'bigfish', mode: 'easy' });
    const jumper = new ProcgenEnv({ game: 'jumper', mode: 'easy' });
    expect(() => bigfish.copyFrom(jumper)).toThrow('Cannot copy a jumper/easy state into a bigfish/easy game.');
    const training = new ProcgenEnv({ game: 'bigfish', mode: 'easy', numLevels: 200, startLevel: 100 });
    expect(() => bigfish.copyFrom(training)).toThrow('Cannot copy an environment playing levels [100, 300) into one playing [0, 2147483647).');
  });
});

/** Everything a step can change, as plain data. */
function state(env: ProcgenEnv) {
  const g = env.game;
  return {
    info: [
      env.reward,
      env.done,
      env.levelSeed,
      env.prevLevelSeed,
      env.prevLevelComplete,
      env.episodeReturn,
      env.episodeLength,
      env.finishedReturn,
      env.finishedLength,
    ],
    time: g.curTime,
    grid: Array.from(g.grid),
    entities: g.entities.items.slice(0, g.entities.count).map((e) => ({ ...e })),
  };
}
