import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Entity } from '../engine/entity.ts';
import { EXPLOSION } from '../engine/objects.ts';
import type { ProcgenGame } from '../engine/game.ts';
import { createGame, GAME_NAMES, type GameName } from '../games/index.ts';
import { GOAL } from '../games/jumper.ts';
import { FrameRenderer } from './frame-renderer.ts';

/** The traces' pseudo-random actions (procgen-traces/README.md). */
function playedGame(name: GameName, seed: number, steps: number): ProcgenGame {
  const game = createGame(name, 'easy');
  game.resetLevel(seed);
  let x = seed;
  for (let t = 0; t < steps; t++) {
    x = (Math.imul(1103515245, x) + 12345) & 0x7fffffff;
    game.step((x >>> 16) % 15);
    if (game.done) break;
  }
  return game;
}

function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Pixels that differ between two frames, as [x, y]. */
function changedPixels(a: Uint8Array, b: Uint8Array, size: number): [number, number][] {
  const changed: [number, number][] = [];
  for (let p = 0; p < size * size; p++) {
    if (a[p * 3] !== b[p * 3] || a[p * 3 + 1] !== b[p * 3 + 1] || a[p * 3 + 2] !== b[p * 3 + 2]) changed.push([p % size, Math.floor(p / size)]);
  }
  return changed;
}

/** Frame with and without `entity` drawn (a render layer no painter draws hides it). */
function framesWithAndWithout(renderer: FrameRenderer, game: ProcgenGame, entity: Entity): [Uint8Array, Uint8Array] {
  const shown = renderer.renderToArray(game);
  const layer = entity.renderZ;
  entity.renderZ = 99;
  const hidden = renderer.renderToArray(game);
  entity.renderZ = layer;
  return [shown, hidden];
}

/** The entity's hitbox in output pixels, by Procgen's camera (pixel-centre rule). */
function hitboxPixels(game: ProcgenGame, e: Entity, size: number): { x0: number; x1: number; y0: number; y1: number } {
  const agent = game.entities.items[0]!;
  const span = game.centerAgent ? game.visibility : Math.max(game.mainWidth, game.mainHeight);
  const unit = size / span;
  const cx = game.centerAgent ? agent.x : game.mainWidth / 2;
  const cy = game.centerAgent ? agent.y : game.mainHeight / 2;
  const px = (x: number) => (x - cx + span / 2) * unit;
  const py = (y: number) => (span / 2 - (y - cy)) * unit;
  return { x0: px(e.x - e.rx), x1: px(e.x + e.rx), y0: py(e.y + e.ry), y1: py(e.y - e.ry) };
}

describe('FrameRenderer', () => {
  it.each(GAME_NAMES)('%s: the same state gives the same bytes, from a fresh renderer and after clone/restore', (name) => {
    const game = playedGame(name, 42, 30);
    const first = new FrameRenderer(name, 'easy').renderToArray(game);
    expect(new FrameRenderer(name, 'easy').renderToArray(game)).toEqual(first);
    const copy = createGame(name, 'easy');
    copy.copyFrom(game);
    const renderer = new FrameRenderer(name, 'easy');
    renderer.renderToArray(playedGame(name, 7, 5)); // warm its caches on another level first
    expect(renderer.renderToArray(copy)).toEqual(first);
  });

  it('draws the same bytes in another process', () => {
    const script = [
      "import { createGame } from './shared/procgen/games/index.ts';",
      "import { FrameRenderer } from './shared/procgen/render/frame-renderer.ts';",
      "import { createHash } from 'node:crypto';",
      "const g = createGame('jumper', 'easy'); g.resetLevel(1000);",
      'for (const a of [7, 7, 5, 8, 8, 1, 5, 7, 7, 7]) g.step(a);',
      "process.stdout.write(createHash('sha256').update(new FrameRenderer('jumper', 'easy').renderToArray(g)).digest('hex'));",
    ].join('\n');
    const root = resolve(import.meta.dirname, '../../..');
    const child = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    const game = createGame('jumper', 'easy');
    game.resetLevel(1000);
    for (const a of [7, 7, 5, 8, 8, 1, 5, 7, 7, 7]) game.step(a);
    expect(child).toBe(sha(new FrameRenderer('jumper', 'easy').renderToArray(game)));
  });

  it.each(GAME_NAMES)('%s: levels with different backgrounds look clearly different', (name) => {
    const frames: { background: number; frame: Uint8Array }[] = [];
    for (let seed = 0; seed < 24; seed++) {
      const game = createGame(name, 'easy');
      game.resetLevel(seed);
      frames.push({ background: game.backgroundIndex, frame: new FrameRenderer(name, 'easy').renderToArray(game) });
    }
    expect(new Set(frames.map((f) => f.background)).size).toBeGreaterThanOrEqual(5);
    for (let i = 0; i < frames.length; i++) {
      for (let j = i + 1; j < frames.length; j++) {
        if (frames[i]!.background === frames[j]!.background) continue;
        const a = frames[i]!.frame;
        const b = frames[j]!.frame;
        let sum = 0;
        for (let k = 0; k < a.length; k++) sum += Math.abs(a[k]! - b[k]!);
        // Mean absolute difference per channel, out of 255.
        expect(sum / a.length).toBeGreaterThan(8);
      }
    }
  });

  it.each(GAME_NAMES.flatMap((name) => [64, 256].map((size) => [name, size] as const)))(
    '%s at %i px: the agent is drawn inside its hitbox and fills much of it',
    (name, size) => {
      const game = playedGame(name, 3, 12);
      const agent = game.entities.items[0]!;
      const renderer = new FrameRenderer(name, 'easy', size);
      const [shown, hidden] = framesWithAndWithout(renderer, game, agent);
      const box = hitboxPixels(game, agent, size);
      const changed = changedPixels(shown, hidden, size);
      // The camera may round its origin to whole pixels: allow one pixel of slack.
      for (const [x, y] of changed) {
        expect(x + 0.5).toBeGreaterThanOrEqual(box.x0 - 1);
        expect(x + 0.5).toBeLessThanOrEqual(box.x1 + 1);
        expect(y + 0.5).toBeGreaterThanOrEqual(box.y0 - 1);
        expect(y + 0.5).toBeLessThanOrEqual(box.y1 + 1);
      }
      expect(changed.length).toBeGreaterThan(0.3 * (box.x1 - box.x0) * (box.y1 - box.y0));
    },
  );

  it('draws every bigfish fish over exactly its hitbox, facing its way', () => {
    const game = playedGame('bigfish', 11, 60);
    const renderer = new FrameRenderer('bigfish', 'easy', 256);
    const fish = game.entities.items.slice(1, game.entities.count).filter((e) => e.x - e.rx > 0 && e.x + e.rx < 20);
    expect(fish.length).toBeGreaterThan(0);
    for (const e of fish) {
      const [shown, hidden] = framesWithAndWithout(renderer, game, e);
      const box = hitboxPixels(game, e, 256);
      const changed = changedPixels(shown, hidden, 256);
      const xs = changed.map(([x]) => x + 0.5);
      // The sprite spans the hitbox's full width (tail to snout), so the fish's size is readable.
      expect(Math.min(...xs)).toBeLessThan(box.x0 + 1.5);
      expect(Math.max(...xs)).toBeGreaterThan(box.x1 - 1.5);
      // The pupil (16, 16, 24) sits in the half the fish swims toward.
      const pupil = changed.filter(([x, y]) => shown[(y * 256 + x) * 3] === 16 && shown[(y * 256 + x) * 3 + 1] === 16 && shown[(y * 256 + x) * 3 + 2] === 24);
      expect(pupil.length).toBeGreaterThan(0);
      const eyeX = pupil.reduce((s, [x]) => s + x + 0.5, 0) / pupil.length;
      const middle = (box.x0 + box.x1) / 2;
      if (e.vx > 0) expect(eyeX).toBeGreaterThan(middle);
      else expect(eyeX).toBeLessThan(middle);
    }
  });

  it('refuses an unknown game, mode or size, naming the valid values', () => {
    expect(() => new FrameRenderer('pong' as GameName, 'easy')).toThrow(/unknown game 'pong': expected one of bigfish, starpilot, jumper/);
    expect(() => new FrameRenderer('bigfish', 'medium' as 'easy')).toThrow(/mode 'medium': expected easy or hard/);
    expect(() => new FrameRenderer('bigfish', 'easy', 10)).toThrow(/render size 10 is invalid: expected an integer number of pixels in 16..2048/);
  });
});

describe('information-carrying details', () => {
  const NEEDLE = [252, 186, 3];
  const isNeedle = (f: Uint8Array, x: number, y: number) =>
    f[(y * 64 + x) * 3] === NEEDLE[0] && f[(y * 64 + x) * 3 + 1] === NEEDLE[1] && f[(y * 64 + x) * 3 + 2] === NEEDLE[2];

  /** Jumper frame with the carrot moved to (dx, dy) units from the bunny. */
  function jumperWithGoalAt(dx: number, dy: number): Uint8Array {
    const game = createGame('jumper', 'easy');
    game.resetLevel(1000);
    const agent = game.entities.items[0]!;
    const goal = game.entities.items.slice(0, game.entities.count).find((e) => e.type === GOAL)!;
    goal.x = agent.x + dx;
    goal.y = agent.y + dy;
    return new FrameRenderer('jumper', 'easy').renderToArray(game);
  }

  it('jumper: the compass needle points toward the carrot and the bar grows with its distance', () => {
    // Compass dial: x 46.7..62.7, y 1.3..17.3 px; the bar starts at x 46.7 just below it.
    const needle = (frame: Uint8Array) => {
      const xs: number[] = [];
      const ys: number[] = [];
      for (let y = 2; y < 17; y++) {
        for (let x = 47; x < 63; x++) {
          if (!isNeedle(frame, x, y)) continue;
          xs.push(x + 0.5);
          ys.push(y + 0.5);
        }
      }
      return { x: xs.reduce((a, b) => a + b, 0) / xs.length - 54.7, y: ys.reduce((a, b) => a + b, 0) / ys.length - 9.3 };
    };
    const barWidth = (frame: Uint8Array) => {
      let width = 0;
      for (let x = 0; x < 64; x++) if (isNeedle(frame, x, 18)) width++;
      return width;
    };
    const right = jumperWithGoalAt(6, 0);
    const left = jumperWithGoalAt(-6, 0);
    const up = jumperWithGoalAt(0, 6);
    expect(needle(right).x).toBeGreaterThan(2);
    expect(needle(left).x).toBeLessThan(-2);
    expect(needle(up).y).toBeLessThan(-2);
    expect(barWidth(jumperWithGoalAt(12, 0))).toBeGreaterThan(barWidth(right));
    expect(barWidth(right)).toBeGreaterThan(0);
  });

  it('starpilot: an explosion shows five distinct frames as it ages', () => {
    const game = playedGame('starpilot', 5, 20);
    const boom = game.entities.items[game.entities.count - 1]!;
    const x = boom.x;
    const y = boom.y;
    const frames = new Set<string>();
    for (let age = 0; age < 5; age++) {
      const e = game.entities.items[game.entities.count - 1]!;
      e.reset();
      Object.assign(e, { type: EXPLOSION, x, y, rx: 1.5, ry: 1.5, renderZ: 0, lifeTime: age });
      frames.add(sha(new FrameRenderer('starpilot', 'easy', 128).renderToArray(game)));
    }
    expect(frames.size).toBe(5);
  });
});
