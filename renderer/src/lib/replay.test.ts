import { describe, expect, it } from 'vitest';
import { createGame } from '@shared/procgen/games/index.ts';
import { FrameRenderer } from '@shared/procgen/render/frame-renderer.ts';
import { Replay } from './replay.ts';

/** Plays a real episode with a fixed action pattern until it ends (or `cap` steps). */
function playEpisode(levelSeed: number, cap: number): { actions: Uint8Array; rewards: Float32Array } {
  const game = createGame('bigfish', 'easy');
  game.resetLevel(levelSeed);
  const actions: number[] = [];
  const rewards: number[] = [];
  for (let t = 0; t < cap; t++) {
    const action = [7, 8, 5, 2, 1, 0, 3, 6][Math.floor(t / 9) % 8]!;
    game.step(action);
    actions.push(action);
    rewards.push(game.reward);
    if (game.done) break;
  }
  return { actions: Uint8Array.from(actions), rewards: Float32Array.from(rewards) };
}

describe('Replay', () => {
  const { actions, rewards } = playEpisode(7, 400);

  it('re-simulates a played episode and finds every reward equal', () => {
    const replay = new Replay('bigfish', 'easy', 7, actions, rewards);
    expect(replay.check.mismatches).toBe(0);
    expect(replay.rewards).toEqual(rewards);
    expect(replay.cumulative[replay.length - 1]).toBeCloseTo(
      rewards.reduce((s, r) => s + r, 0),
      5,
    );
    if (actions.length < 400) expect(replay.check).toMatchObject({ exact: true, endedAt: actions.length - 1 });
  });

  it('reports the first differing step when the stored rewards are not this episode', () => {
    const other = rewards.slice();
    other[3] = other[3]! + 1;
    const replay = new Replay('bigfish', 'easy', 7, actions, other);
    expect(replay.check).toMatchObject({ mismatches: 1, firstMismatch: 3, exact: false });
  });

  it('renders any step large from checkpoints, the same as playing straight there', () => {
    const replay = new Replay('bigfish', 'easy', 7, actions, rewards, 8);
    const renderer = new FrameRenderer('bigfish', 'easy', 128);
    const direct = createGame('bigfish', 'easy');
    direct.resetLevel(7);
    const target = Math.min(29, actions.length - 1);
    for (let t = 0; t < target; t++) direct.step(actions[t]!);
    const expected = new FrameRenderer('bigfish', 'easy', 128).renderToArray(direct);
    const out = new Uint8Array(renderer.frameBytes);
    // Jump ahead, back, then forward one by one: each path must give the same frame.
    replay.renderLarge(target, renderer, out);
    expect(out).toEqual(expected);
    replay.renderLarge(2, renderer, out);
    for (let t = 3; t <= target; t++) replay.renderLarge(t, renderer, out);
    expect(out).toEqual(expected);
  });
});
