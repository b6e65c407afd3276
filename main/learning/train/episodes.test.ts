import { describe, expect, it } from 'vitest';
import type { ProcgenGame } from '@shared/procgen/engine/game.ts';
import { NUM_ACTIONS } from '@shared/procgen/engine/actions.ts';
import { createGame } from '@shared/procgen/games/index.ts';
import { Random } from '../random.ts';
import { OBS_VALUES } from './data.ts';
import { drawLevelSeeds, EpisodePlayer, episodeReturn, playEpisodes, withEpsilon, type ActionSource } from './episodes.ts';

/** Decides from the pixels alone (a hash of the frame), so an episode's course is fixed by its level. */
const frameHashSource: ActionSource = {
  needsFrames: true,
  begin() {},
  choose(active, _games, frames, out) {
    for (let i = 0; i < active.length; i++) {
      let h = 0;
      for (let b = i * OBS_VALUES; b < (i + 1) * OBS_VALUES; b += 97) h = (h * 31 + frames[b]!) >>> 0;
      out[i] = h % NUM_ACTIONS;
    }
  },
};

describe('the episode player', () => {
  const levelSeeds = drawLevelSeeds({ startLevel: 100, numLevels: 200 }, 7, 5);

  it('plays each level seed to its end and records what re-simulates, in seed order whatever the slots', () => {
    const one = playEpisodes({ game: 'bigfish', mode: 'easy', levelSeeds, slots: 1, recordObservations: true, source: frameHashSource });
    const three = playEpisodes({ game: 'bigfish', mode: 'easy', levelSeeds, slots: 3, recordObservations: true, source: frameHashSource });
    expect(one.map((e) => e.levelSeed)).toEqual(levelSeeds);
    expect(three.map((e) => e.levelSeed)).toEqual(levelSeeds);
    for (let k = 0; k < levelSeeds.length; k++) {
      const e = one[k]!;
      expect(Array.from(three[k]!.actions)).toEqual(Array.from(e.actions));
      expect(Buffer.from(three[k]!.observations!).equals(Buffer.from(e.observations!))).toBe(true);
      expect(e.observations).toHaveLength(e.actions.length * OBS_VALUES);
      // Re-simulated from (level, actions): the same rewards, the end exactly at the last action.
      const game = createGame('bigfish', 'easy');
      game.resetLevel(e.levelSeed);
      for (let t = 0; t < e.actions.length; t++) {
        game.step(e.actions[t]!);
        expect(game.reward).toBe(e.rewards[t]);
        expect(game.done).toBe(t === e.actions.length - 1);
      }
    }
    // The first frame of an episode is the level's start, not a leftover of the slot's previous episode.
    const fresh = playEpisodes({ game: 'bigfish', mode: 'easy', levelSeeds: [levelSeeds[2]!], slots: 1, recordObservations: true, source: frameHashSource });
    expect(Buffer.from(fresh[0]!.observations!).equals(Buffer.from(one[2]!.observations!))).toBe(true);
  });

  it('hands each source the games of the slots it decides for, and reports every episode once', () => {
    const seen = new Set<number>();
    const levelOfSlot = new Map<number, number>();
    const source: ActionSource = {
      needsFrames: false,
      begin(slot) {
        levelOfSlot.delete(slot);
      },
      choose(active: readonly number[], games: readonly ProcgenGame[], _frames: Uint8Array, out: Uint8Array) {
        for (let i = 0; i < active.length; i++) {
          const game = games[active[i]!]!;
          // A slot's game keeps its level from begin() to the episode's end.
          if (!levelOfSlot.has(active[i]!)) levelOfSlot.set(active[i]!, game.levelSeed);
          expect(game.levelSeed).toBe(levelOfSlot.get(active[i]!));
          expect(levelSeeds).toContain(game.levelSeed);
          out[i] = 1;
        }
      },
    };
    const played = playEpisodes({
      game: 'jumper',
      mode: 'easy',
      levelSeeds,
      slots: 2,
      recordObservations: false,
      source,
      onEpisode: (index, episode) => {
        expect(seen.has(index)).toBe(false);
        seen.add(index);
        expect(episode.levelSeed).toBe(levelSeeds[index]);
      },
    });
    expect(seen.size).toBe(levelSeeds.length);
    expect(played.every((e) => e.observations === null && e.actions.every((a) => a === 1))).toBe(true);
  });

  it('steps all slots per call and says how many played', () => {
    const player = new EpisodePlayer({ game: 'bigfish', mode: 'easy', levelSeeds, slots: 4, recordObservations: false, source: frameHashSource });
    let stepped = player.step();
    expect(stepped).toBe(4);
    for (let n = player.step(); n > 0; n = player.step()) stepped += n;
    // Every step of every slot is one recorded action.
    expect(stepped).toBe(player.episodes.reduce((n, e) => n + e.actions.length, 0));
    expect(player.step()).toBe(0);
  });

  it('mixes in uniformly random actions at the epsilon rate', () => {
    const constant: ActionSource = { needsFrames: false, begin() {}, choose: (active, _g, _f, out) => out.fill(0, 0, active.length) };
    const played = playEpisodes({
      game: 'starpilot',
      mode: 'easy',
      levelSeeds,
      slots: 5,
      recordObservations: false,
      source: withEpsilon(constant, 0.5, new Random(3)),
    });
    const actions = played.flatMap((e) => Array.from(e.actions));
    const changed = actions.filter((a) => a !== 0).length / actions.length;
    // P(changed) = 0.5 * 14/15.
    expect(changed).toBeGreaterThan(0.4);
    expect(changed).toBeLessThan(0.54);
    expect(withEpsilon(constant, 0, new Random(3))).toBe(constant);
  });

  it('sums rewards into a return', () => {
    expect(episodeReturn({ rewards: Float32Array.from([1, 0, 2.5]) })).toBe(3.5);
  });

  it('rejects bad slots and level seeds by name', () => {
    const base = { game: 'bigfish' as const, mode: 'easy' as const, recordObservations: false, source: frameHashSource };
    expect(() => new EpisodePlayer({ ...base, levelSeeds, slots: 0 })).toThrow(/slots = 0 is invalid: use a whole number >= 1/);
    expect(() => new EpisodePlayer({ ...base, levelSeeds: [5, -1], slots: 2 })).toThrow(/Invalid level seed -1: level seeds are integers 0\.\./);
  });
});
