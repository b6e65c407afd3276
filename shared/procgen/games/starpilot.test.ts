import { describe, expect, it } from 'vitest';
import type { Entity } from '../engine/entity.ts';
import { EXPLOSION } from '../engine/objects.ts';
import { BULLET2, BULLET_PLAYER, FINISH_LINE, FLYER, SHOOTER_WIN_TIME, StarPilot } from './starpilot.ts';

/** A starpilot level with no scheduled enemies and only the agent, at rest at (4, 8). */
function emptyLevel(): StarPilot {
  const game = new StarPilot('easy');
  game.resetLevel(21);
  game.spawners.clear();
  game.entities.count = 1;
  Object.assign(game.agent, { x: 4, y: 8, vx: 0, vy: 0 });
  return game;
}

function addEntity(game: StarPilot, fields: Partial<Entity>): Entity {
  const e = game.entities.add();
  Object.assign(e, { rx: 0.5, ry: 0.5, fireTime: -1, spawnTime: -1, expireTime: -1, health: 1 }, fields);
  return e;
}

function count(game: StarPilot, type: number): number {
  let n = 0;
  for (let i = 0; i < game.entities.count; i++) if (game.entities.items[i]!.type === type) n++;
  return n;
}

describe('starpilot rules', () => {
  it('a flyer takes two hits; the kill gives +1 on the next step and leaves an explosion', () => {
    const game = emptyLevel();
    const flyer = addEntity(game, { type: FLYER, x: 9, y: 8, health: 2 });
    const rewards: number[] = [];
    for (let t = 0; t < 12 && count(game, FLYER) > 0; t++) {
      game.step(t < 2 ? 9 : 4); // two shots to the right, then wait
      rewards.push(game.reward);
      if (t === 0) expect(count(game, BULLET_PLAYER)).toBe(1);
    }
    expect(rewards.reduce((a, b) => a + b, 0)).toBe(1);
    expect(rewards.filter((r) => r !== 0)).toEqual([1]);
    expect(flyer.health).toBe(0);
    expect(count(game, FLYER)).toBe(0);
    expect(count(game, EXPLOSION)).toBeGreaterThan(0);
    expect(game.done).toBe(false);
  });

  it('action 10 (A) fires left and the other special actions fire right, one bullet per step', () => {
    for (const action of [9, 10, 11, 12, 13, 14]) {
      const game = emptyLevel();
      game.step(action);
      expect(count(game, BULLET_PLAYER)).toBe(1);
      const bullet = game.entities.items[1]!;
      expect(Math.sign(bullet.vx)).toBe(action === 10 ? -1 : 1);
      expect(Math.abs(bullet.vx)).toBeCloseTo(0.8, 6);
    }
  });

  it('touching an enemy or an enemy bullet ends the episode with no reward', () => {
    for (const type of [FLYER, BULLET2]) {
      const game = emptyLevel();
      addEntity(game, { type, x: 4.5, y: 8, rx: 0.4, ry: 0.4, health: 2 });
      game.step(4);
      expect([game.done, game.reward]).toEqual([true, 0]);
    }
  });

  it('a flyer fires once, at its fire time, a bullet aimed at the agent at 0.5 units per step', () => {
    const game = emptyLevel();
    addEntity(game, { type: FLYER, x: 12, y: 12, health: 2, spawnTime: 0, fireTime: 3 });
    for (let t = 1; t <= 5; t++) {
      game.step(4);
      expect(count(game, BULLET2)).toBe(t >= 3 ? 1 : 0);
    }
    const bullet = game.entities.items.slice(0, game.entities.count).find((e) => e.type === BULLET2)!;
    expect(Math.hypot(bullet.vx, bullet.vy)).toBeCloseTo(0.5, 6);
    expect(bullet.vx).toBeLessThan(0);
    expect(bullet.vy).toBeLessThan(0);
  });

  it('the finish line appears at step 500 and reaching it gives +10 and completes the level', () => {
    const game = emptyLevel();
    game.curTime = SHOOTER_WIN_TIME - 1;
    game.agent.x = 15.5;
    game.step(4);
    expect(count(game, FINISH_LINE)).toBe(1);
    let steps = 0;
    while (!game.done && steps < 100) {
      game.entities.items[0]!.vx = 0;
      game.step(4);
      steps++;
    }
    expect(game.reward).toBe(10);
    expect(game.levelComplete).toBe(true);
  });

  it('easy levels schedule only flyers, in groups of 1..5, sorted so the next spawn is last', () => {
    const game = new StarPilot('easy');
    game.resetLevel(4);
    const s = game.spawners.items.slice(0, game.spawners.count);
    expect(s.length).toBeGreaterThan(30);
    expect(s.every((e) => e.type === FLYER && e.health === 2 && e.x === 16.5)).toBe(true);
    for (let i = 1; i < s.length; i++) expect(s[i - 1]!.spawnTime).toBeGreaterThanOrEqual(s[i]!.spawnTime);
    expect(s.at(-1)!.spawnTime).toBeGreaterThanOrEqual(12);
    expect(s[0]!.spawnTime).toBeLessThanOrEqual(SHOOTER_WIN_TIME + 20);
  });

  it('hard levels also schedule meteors, clouds, turrets and fast flyers, some from the left', () => {
    const types = new Set<number>();
    let fromLeft = 0;
    for (let seed = 0; seed < 10; seed++) {
      const game = new StarPilot('hard');
      game.resetLevel(seed);
      for (let i = 0; i < game.spawners.count; i++) {
        const e = game.spawners.items[i]!;
        types.add(e.type);
        if (e.vx > 0) fromLeft++;
      }
    }
    expect([...types].sort()).toEqual([4, 5, 6, 7, 8]);
    expect(fromLeft).toBeGreaterThan(0);
  });

  it('times out after 1000 steps', () => {
    const game = emptyLevel();
    game.curTime = 999;
    game.step(4);
    expect(game.done).toBe(true);
    expect(game.levelComplete).toBe(false);
  });
});
