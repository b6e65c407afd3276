import { describe, expect, it } from 'vitest';
import type { Entity } from '../engine/entity.ts';
import { f32 } from '../engine/float32.ts';
import { SPACE } from '../engine/objects.ts';
import { CAVEWALL, CAVEWALL_TOP, GOAL, Jumper, SPIKE } from './jumper.ts';

/** An open field: floor along row 0, nothing else; the agent stands on the floor at x = 10.5. */
function openField(): Jumper {
  const game = new Jumper('easy');
  game.resetLevel(2);
  game.grid.fill(SPACE);
  for (let x = 0; x < game.mainWidth; x++) game.grid[x] = CAVEWALL_TOP;
  game.entities.count = 1;
  Object.assign(game.agent, { x: 10.5, y: 1.4, vx: 0, vy: 0 });
  return game;
}

function addEntity(game: Jumper, fields: Partial<Entity>): void {
  Object.assign(game.entities.add(), fields);
}

describe('jumper rules', () => {
  it('jumps with vy = 1 (then gravity), no sooner than step 4, and allows exactly one more jump in the air', () => {
    const game = openField();
    const vys: number[] = [];
    for (let t = 1; t <= 14; t++) {
      game.step(5); // hold up
      vys.push(game.agent.vy);
    }
    // Steps 1-3: cooldown from jump_time 0; standing: vy is gravity then the floor zeroes it.
    expect(vys.slice(0, 3).every((vy) => vy <= 0)).toBe(true);
    expect(vys[3]).toBe(f32(1 - f32(0.15))); // first jump at step 4
    expect(vys[7]).toBe(f32(1 - f32(0.15))); // second jump at step 8 (cooldown 3), in the air
    expect(vys[11]).toBeLessThan(vys[10]!); // no third jump at step 12
    expect(game.jumpCount).toBe(0);
    expect(game.hasSupport).toBe(false);
  });

  it('down does nothing and left/right move at most 0.5 per step', () => {
    const game = openField();
    game.step(3);
    expect(game.agent.y).toBe(f32(1.4));
    for (let t = 0; t < 8; t++) game.step(7);
    expect(game.agent.vx).toBeLessThanOrEqual(0.5);
    expect(game.agent.vx).toBeGreaterThan(0.49);
    expect(game.agent.isReflected).toBe(false);
    game.step(1);
    expect(game.agent.isReflected).toBe(true);
  });

  it('touching a spike ends the episode with no reward', () => {
    const game = openField();
    addEntity(game, { type: SPIKE, x: 10.9, y: 1.4, rx: 0.23, ry: 0.4 });
    game.step(4);
    expect([game.done, game.reward, game.levelComplete]).toEqual([true, 0, false]);
  });

  it('reaching the carrot gives +10 and completes the level', () => {
    const game = openField();
    addEntity(game, { type: GOAL, x: 11.5, y: 1.5, rx: 0.5, ry: 0.5 });
    game.step(7);
    expect([game.done, game.reward, game.levelComplete]).toEqual([true, 10, true]);
  });

  it('times out after 1000 steps', () => {
    const game = openField();
    game.curTime = 999;
    game.step(4);
    expect([game.done, game.levelComplete]).toEqual([true, false]);
  });

  it('walls stop the agent', () => {
    const game = openField();
    for (let y = 1; y < 5; y++) game.grid[y * game.mainWidth + 12] = CAVEWALL;
    for (let t = 0; t < 20; t++) game.step(7);
    expect(game.agent.x).toBe(f32(12 - f32(0.254)));
  });

  for (const mode of ['easy', 'hard'] as const) {
    it(`${mode} levels: walled in, agent (nearly always) on the ground, goal reachable, themes in range`, () => {
      const dim = mode === 'easy' ? 20 : 40;
      let onGround = 0;
      for (let seed = 0; seed < 40; seed++) {
        const game = new Jumper(mode);
        game.resetLevel(seed);
        const W = game.mainWidth;
        expect([W, game.mainHeight, game.visibility, game.centerAgent]).toEqual([dim, dim, mode === 'easy' ? 12 : 16, true]);
        // Outside the world reads as wall (Procgen's wall-breaking pass may open border cells themselves).
        expect([game.cellAt(-1, 0), game.cellAt(0, dim), game.cellAtPoint(-0.5, 3)]).toEqual([CAVEWALL, CAVEWALL, CAVEWALL]);
        const agent = game.agent;
        expect(game.cellAtPoint(agent.x, agent.y)).toBe(SPACE);
        // The start cell had ground below when chosen; the later wall-breaking pass can remove it (as in Procgen).
        if ([CAVEWALL, CAVEWALL_TOP].includes(game.cellAtPoint(agent.x, agent.y - 1))) onGround++;
        const goal = game.entities.items[1]!;
        expect(goal.type).toBe(GOAL);
        expect([game.goalX, game.goalY]).toEqual([goal.x, goal.y]);
        expect(reachable(game, Math.floor(agent.x), Math.floor(agent.y), Math.floor(goal.x), Math.floor(goal.y))).toBe(true);
        expect(game.wallTheme).toBeGreaterThanOrEqual(0);
        expect(game.wallTheme).toBeLessThan(4);
        expect(game.backgroundIndex).toBeLessThan(62);
      }
      expect(onGround).toBeGreaterThanOrEqual(32);
    });
  }

  it('the same seed always builds the same level', () => {
    const a = new Jumper('easy');
    const b = new Jumper('easy');
    a.resetLevel(77);
    b.resetLevel(1);
    b.resetLevel(77);
    expect(Array.from(b.grid)).toEqual(Array.from(a.grid));
    expect(b.entities.count).toBe(a.entities.count);
  });
});

/** 4-connected path through SPACE between two cells. */
function reachable(game: Jumper, x0: number, y0: number, x1: number, y1: number): boolean {
  const W = game.mainWidth;
  const seen = new Set([y0 * W + x0]);
  const queue = [y0 * W + x0];
  while (queue.length) {
    const c = queue.shift()!;
    if (c === y1 * W + x1) return true;
    const x = c % W;
    const y = Math.floor(c / W);
    for (const [dx, dy] of [
      [-1, 0],
      [1, 0],
      [0, -1],
      [0, 1],
    ] as const) {
      const n = (y + dy) * W + x + dx;
      if (game.cellAt(x + dx, y + dy) === SPACE && !seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return false;
}
