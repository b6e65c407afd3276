import { describe, expect, it } from 'vitest';
import { f32 } from '../engine/float32.ts';
import { BigFish, FISH, FISH_QUOTA } from './bigfish.ts';

/** A bigfish level with only the agent, resting at (10, 10), and a fish of half-width `r` on top of it. */
function agentMeetsFish(r: number, mode: 'easy' | 'hard' = 'easy'): BigFish {
  const game = new BigFish(mode);
  game.resetLevel(3);
  game.entities.count = 1;
  Object.assign(game.agent, { x: 10, y: 10, vx: 0, vy: 0 });
  const fish = game.entities.add();
  Object.assign(fish, { type: FISH, x: 10.5, y: 10, rx: f32(r), ry: f32(r / 2) });
  return game;
}

describe('bigfish rules', () => {
  it('eating a smaller fish gives +1, erases it and grows the agent by (2 - start) / 30', () => {
    const game = agentMeetsFish(0.5);
    game.step(4);
    expect(game.reward).toBe(1);
    expect(game.done).toBe(false);
    expect(game.fishEaten).toBe(1);
    expect(game.agent.rx).toBe(f32(1 + f32(1 / 30)));
    expect(game.agent.ry).toBe(game.agent.rx);
    expect(game.entities.count).toBeLessThanOrEqual(2); // the fish is gone (a new one may have spawned at an edge)
    if (game.entities.count === 2) expect(Math.abs(game.entities.items[1]!.x - 10)).toBeGreaterThan(9);
  });

  it('a fish exactly as wide as the agent is edible', () => {
    const game = agentMeetsFish(1);
    game.step(4);
    expect(game.reward).toBe(1);
    expect(game.done).toBe(false);
  });

  it('touching a wider fish ends the episode with no reward', () => {
    const game = agentMeetsFish(1.01);
    game.step(4);
    expect(game.reward).toBe(0);
    expect(game.done).toBe(true);
    expect(game.levelComplete).toBe(false);
  });

  it('the 30th fish gives +1 and the +10 completion bonus and completes the level', () => {
    const game = agentMeetsFish(0.5);
    game.fishEaten = FISH_QUOTA - 1;
    game.step(4);
    expect(game.reward).toBe(11);
    expect(game.done).toBe(true);
    expect(game.levelComplete).toBe(true);
  });

  it('hard mode starts the agent at half the size, on the floor', () => {
    const easy = new BigFish('easy');
    const hard = new BigFish('hard');
    easy.resetLevel(11);
    hard.resetLevel(11);
    expect([easy.agent.rx, easy.agent.y]).toEqual([1, 2]);
    expect([hard.agent.rx, hard.agent.y]).toEqual([0.5, 1.5]);
    expect(hard.rInc).toBe(f32(1.5 / 30));
  });

  it('fish enter from a side edge, swim straight across and face their direction', () => {
    const game = new BigFish('easy');
    game.resetLevel(5);
    let seen = 0;
    for (let t = 0; t < 400 && seen < 10; t++) {
      game.step(4);
      for (let i = 1; i < game.entities.count; i++) {
        const fish = game.entities.items[i]!;
        if (fish.lifeTime !== 1) continue;
        seen++;
        expect(fish.vy).toBe(0);
        expect(Math.abs(fish.vx)).toBeGreaterThanOrEqual(0.15);
        expect(Math.abs(fish.vx)).toBeLessThanOrEqual(0.4);
        expect(fish.isReflected).toBe(fish.vx < 0);
        expect(fish.rx).toBeGreaterThanOrEqual(0.25);
        expect(fish.rx).toBeLessThanOrEqual(2);
      }
      if (game.done) game.resetLevel(5 + t);
    }
    expect(seen).toBe(10);
  });

  it('the world border stops the agent', () => {
    const game = new BigFish('easy');
    game.resetLevel(8);
    game.entities.count = 1;
    for (let t = 0; t < 60; t++) game.step(1); // left
    expect(game.agent.x).toBe(1); // flush against the left edge: x - rx = 0
    expect(game.done).toBe(false);
  });

  it('times out after 6000 steps', () => {
    const game = new BigFish('easy');
    game.resetLevel(2);
    game.entities.count = 1;
    game.curTime = 5998;
    game.step(4);
    expect(game.done).toBe(false);
    game.entities.count = 1;
    game.step(4);
    expect(game.curTime).toBe(6000);
    expect(game.done).toBe(true);
    expect(game.levelComplete).toBe(false);
  });
});
