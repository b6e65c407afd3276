/**
 * One painter per game: it owns the per-level caches (pre-drawn backgrounds,
 * static layers) stored in the renderer's memory after the frame, so every
 * per-step copy is a native `copyWithin` that allocates nothing.
 */
import type { Surface } from '../raster.ts';
import type { Mode } from '../../engine/game.ts';
import type { RenderableGame } from '../renderable.ts';

export interface Painter {
  /** Cache bytes this level needs after the frame. */
  cacheBytes(game: RenderableGame): number;
  /** Rebuilds the per-level caches at `cacheOffset` in `frame.memory`; called when the level changes. */
  prepareLevel(game: RenderableGame, frame: Surface, cacheOffset: number): void;
  /** Draws the current state into `frame`. */
  paint(game: RenderableGame, frame: Surface): void;
  /** Paints every background picture the game can use now, instead of on first use. */
  preload(): void;
}

/** Makes a painter (and its sprites) for output frames `size` px square. */
export type PainterFactory = (size: number, mode: Mode) => Painter;
