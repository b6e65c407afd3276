/**
 * Procgen's camera (basic-abstract-game.cpp `prepare_for_drawing`,
 * `get_screen_rect`): world units to output pixels, y flipped. A `View` maps
 * world (x, y) to screen (originX + x*unit, originY - y*unit).
 */
import type { Entity } from '../engine/entity.ts';
import { drawSprite, Shape, type Surface } from './raster.ts';
import type { RenderableGame } from './renderable.ts';
import type { Picture, Sprite } from './sprite.ts';

export class View {
  /** Output pixels per world unit. */
  unit = 0;
  originX = 0;
  originY = 0;
  /** World units across the output (Procgen's `view_dim`). */
  span = 0;
  /** Scratch geometry for the draw calls (see `Shape`). */
  readonly shape = new Shape();

  /**
   * Places the camera by the game's rule for an output `size` px square:
   * the whole world (bigfish, starpilot: `center_agent = false`, visibility =
   * max(W, H)), or `visibility` units centred on the agent (jumper). A
   * following camera's origin is rounded to whole pixels so a pre-drawn static
   * layer lines up with the entities exactly; the picture as a whole is then
   * at most half a pixel off Procgen's camera.
   */
  place(size: number, game: RenderableGame): void {
    // Fields are read here rather than passed on: fractional arguments to a non-inlined call are boxed (garbage).
    if (game.centerAgent) {
      const agent = game.entities.items[0]!;
      this.span = game.visibility;
      this.unit = size / this.span;
      this.originX = Math.round((this.span / 2 - agent.x) * this.unit);
      this.originY = Math.round((this.span / 2 + agent.y) * this.unit);
    } else {
      this.span = Math.max(game.mainWidth, game.mainHeight);
      this.unit = size / this.span;
      this.originX = (this.span / 2 - game.mainWidth / 2) * this.unit;
      this.originY = (this.span / 2 + game.mainHeight / 2) * this.unit;
    }
  }

  screenX(x: number): number {
    return this.originX + x * this.unit;
  }

  screenY(y: number): number {
    return this.originY - y * this.unit;
  }

  /** Draws `sprite` over the entity's hitbox rect with its rotation, mirroring and alpha. */
  drawEntity(s: Surface, e: Entity, sprite: Sprite): void {
    const shape = this.shape;
    shape.x0 = this.originX + (e.x - e.rx) * this.unit;
    shape.y0 = this.originY - (e.y + e.ry) * this.unit;
    shape.x1 = this.originX + (e.x + e.rx) * this.unit;
    shape.y1 = this.originY - (e.y - e.ry) * this.unit;
    shape.rotation = e.rotation;
    shape.mirrored = e.isReflected;
    shape.alpha = e.alpha;
    drawSprite(s, sprite, shape);
  }
}

/**
 * Procgen's default background (`draw_background`): black, then the picture
 * fitted to the world rect by height and shifted left by
 * `bgPctX * (pictureAspect - worldAspect)` world widths. Painted once per level.
 */
export function paintWorldBackground(s: Surface, view: View, picture: Picture, mainWidth: number, mainHeight: number, bgPctX: number): void {
  s.memory.fill(0, s.offset, s.offset + s.stride * s.height);
  const worldAspect = mainWidth / mainHeight;
  const pictureAspect = picture.width / picture.height;
  const shift = bgPctX * (pictureAspect - worldAspect);
  const left = view.screenX(0);
  const top = view.screenY(mainHeight);
  const worldWidthPx = mainWidth * view.unit;
  const worldHeightPx = mainHeight * view.unit;
  const pictureWidthPx = (worldWidthPx * pictureAspect) / worldAspect;
  const pictureLeft = left - shift * worldWidthPx;
  const m = s.memory;
  for (let j = 0; j < s.height; j++) {
    const v = (j + 0.5 - top) / worldHeightPx;
    if (v < 0 || v >= 1) continue;
    const row = Math.floor(v * picture.height) * picture.width;
    for (let i = 0; i < s.width; i++) {
      const cx = i + 0.5;
      if (cx < left || cx >= left + worldWidthPx) continue;
      const u = (cx - pictureLeft) / pictureWidthPx;
      const q = (row + Math.min(picture.width - 1, Math.max(0, Math.floor(u * picture.width)))) * 3;
      const p = s.offset + j * s.stride + i * 3;
      m[p] = picture.rgb[q]!;
      m[p + 1] = picture.rgb[q + 1]!;
      m[p + 2] = picture.rgb[q + 2]!;
    }
  }
}
