/**
 * Renders a game state to a `size x size` RGB frame: 64 for observations
 * (drawn directly at 64, no downscale), larger (256, 512) for replay views,
 * with the same painter code. One renderer per environment: it keeps that
 * environment's per-level caches in the same memory as its frame, so every
 * per-step copy is a native `copyWithin`, and allocates nothing per frame.
 */
import { bigfishPainter } from './painters/bigfish.ts';
import { jumperPainter } from './painters/jumper.ts';
import type { Painter, PainterFactory } from './painters/painter.ts';
import { starpilotPainter } from './painters/starpilot.ts';
import { createSurface, type Surface } from './raster.ts';
import type { Mode } from '../engine/game.ts';
import type { GameName } from '../games/index.ts';
import type { RenderableGame } from './renderable.ts';

export const OBSERVATION_SIZE = 64;

const PAINTERS: Readonly<Record<GameName, PainterFactory>> = {
  bigfish: bigfishPainter,
  starpilot: starpilotPainter,
  jumper: jumperPainter,
};

export class FrameRenderer {
  readonly size: number;
  /** Bytes of one frame: size*size*3. */
  readonly frameBytes: number;
  private readonly painter: Painter;
  private memory: Uint8Array;
  private frame: Surface;
  /** The frame as a view, made once per memory so copying it out allocates nothing. */
  private frameView: Uint8Array;
  private levelSeed = NaN;
  private backgroundIndex = NaN;
  private bgPctX = NaN;

  constructor(game: GameName, mode: Mode, size: number = OBSERVATION_SIZE) {
    const factory = PAINTERS[game];
    if (!factory) throw new RangeError(`cannot render unknown game '${game}': expected one of ${Object.keys(PAINTERS).join(', ')}`);
    if (mode !== 'easy' && mode !== 'hard') throw new RangeError(`cannot render mode '${mode}': expected easy or hard`);
    if (!Number.isInteger(size) || size < 16 || size > 2048) {
      throw new RangeError(`render size ${size} is invalid: expected an integer number of pixels in 16..2048`);
    }
    this.size = size;
    this.frameBytes = size * size * 3;
    this.painter = factory(size, mode);
    this.memory = new Uint8Array(this.frameBytes);
    this.frame = createSurface(this.memory, 0, size, size);
    this.frameView = this.memory.subarray(0, this.frameBytes);
  }

  /** Draws `game` and writes the frame into `out` at byte `offset`. */
  render(game: RenderableGame, out: Uint8Array, offset = 0): void {
    if (game.levelSeed !== this.levelSeed || game.backgroundIndex !== this.backgroundIndex || game.bgPctX !== this.bgPctX) {
      this.prepareLevel(game);
    }
    this.painter.paint(game, this.frame);
    out.set(this.frameView, offset);
  }

  /** Paints every background the game can use now (they are cached per thread), so no frame pays for one later. */
  preload(): void {
    this.painter.preload();
  }

  /** Draws `game` into a new array (for tools and tests, not hot loops). */
  renderToArray(game: RenderableGame): Uint8Array {
    const out = new Uint8Array(this.frameBytes);
    this.render(game, out);
    return out;
  }

  private prepareLevel(game: RenderableGame): void {
    const needed = this.frameBytes + this.painter.cacheBytes(game);
    if (this.memory.length < needed) {
      this.memory = new Uint8Array(needed);
      this.frame = createSurface(this.memory, 0, this.size, this.size);
      this.frameView = this.memory.subarray(0, this.frameBytes);
    }
    this.painter.prepareLevel(game, this.frame, this.frameBytes);
    this.levelSeed = game.levelSeed;
    this.backgroundIndex = game.backgroundIndex;
    this.bgPctX = game.bgPctX;
  }
}
