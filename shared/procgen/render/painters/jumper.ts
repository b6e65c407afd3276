/**
 * Jumper (procgen jumper.cpp): an agent-centred view of 12 units (hard: 16).
 * The background and the wall tiles never change during a level, so they are
 * pre-drawn once per level into a static layer covering the world plus a
 * margin of out-of-world wall; each step copies the visible window out of it
 * and draws the carrot, spikes, trails, the bunny, the compass and the
 * mid-air jump ellipse on top.
 */
import { backgroundPicture, pictureHeightFor, preloadBackgrounds } from '../backgrounds.ts';
import { copyBlock, createSurface, drawLine, fillEllipse, fillRect, type Surface } from '../raster.ts';
import { PLAYER, TRAIL, WALL_OBJ } from '../../engine/objects.ts';
import type { Mode } from '../../engine/game.ts';
import { CAVEWALL, CAVEWALL_TOP, GOAL, SPIKE } from '../../games/jumper.ts';
import type { RenderableGame, RenderableJumper } from '../renderable.ts';
import { SpriteBuilder, type Rgb, type Sprite } from '../sprite.ts';
import { View } from '../view.ts';
import type { PainterFactory } from './painter.ts';

/** Compass size in world units per mode (jumper.cpp `compass_dim`). */
const COMPASS_DIM: Readonly<Record<Mode, number>> = { easy: 3, hard: 2 };
const COMPASS_FACE: Rgb = 0xa8a69e; // (168,166,158)
const COMPASS_NEEDLE: Rgb = 0xfcba03; // (252,186,3)
/** QColor(255, 255, 255, 120). */
const JUMP_MARK_ALPHA = 120 / 255;

/** Blue, green, yellow, brown tiles: [body, pattern, top surface, top accent]. */
const WALL_THEMES: readonly (readonly [Rgb, Rgb, Rgb, Rgb])[] = [
  [0x3d7fd6, 0x5a98e8, 0xa8e6ff, 0xffffff],
  [0x3f9e6e, 0x58b585, 0xf4d444, 0x8ad04a],
  [0xd9a93c, 0xe8c060, 0x6cc04a, 0x3a8a30],
  [0x5e3a34, 0x6e4a42, 0xe04848, 0xf4d444],
];

function paintWall(theme: number, top: boolean): Sprite {
  const [body, pattern, surface, accent] = WALL_THEMES[theme]!;
  const b = new SpriteBuilder(32, 32).rect(0, 0, 1, 1, body).ring(0.5, 0.5, 0.3, 0.3, 0.65, pattern);
  if (top) {
    b.paint(surface, (u, v) => v < 0.3 + 0.06 * Math.sin(u * Math.PI * 4));
    b.paint(accent, (u, v) => v < 0.1 && Math.floor(u * 8) % 2 === 0);
  }
  return b.sprite;
}

function paintCarrot(): Sprite {
  return new SpriteBuilder(32, 32)
    .polygon([0.5, 0.05, 0.35, 0.3, 0.5, 0.25, 0.65, 0.3], 0x3aa040)
    .polygon([0.3, 0.1, 0.45, 0.3, 0.55, 0.28], 0x58c050)
    .polygon([0.7, 0.1, 0.55, 0.3, 0.45, 0.28], 0x58c050)
    .polygon([0.28, 0.3, 0.72, 0.3, 0.52, 0.98, 0.48, 0.98], 0xff8a1a)
    .paint(0xd06010, (u, v) => v > 0.3 && Math.floor(v * 12) % 3 === 0 && Math.abs(u - 0.5) < 0.22 * (1 - (v - 0.3) / 0.7)).sprite;
}

function paintSpike(): Sprite {
  return new SpriteBuilder(20, 36)
    .polygon([0.5, 0, 0.68, 0.45, 0.32, 0.45], 0xf0f0f0)
    .rect(0.05, 0.45, 0.95, 1, 0xd03030)
    .rect(0.25, 0.58, 0.4, 0.68, 0xffffff)
    .rect(0.6, 0.58, 0.75, 0.68, 0xffffff).sprite;
}

/** The bunny facing right; `pose` 0 stands, 1 and 2 are the walking frames. */
function paintBunny(pose: number): Sprite {
  const fur = 0xa060e0;
  const b = new SpriteBuilder(24, 38);
  b.ellipse(0.4, 0.14, 0.09, 0.15, fur).ellipse(0.6, 0.12, 0.09, 0.13, fur);
  b.ellipse(0.4, 0.14, 0.04, 0.1, 0xf0b0e0);
  b.ellipse(0.5, 0.6, 0.42, 0.3, fur);
  b.ellipse(0.6, 0.38, 0.32, 0.16, fur);
  b.ellipse(0.75, 0.36, 0.07, 0.05, 0xffffff).ellipse(0.78, 0.36, 0.035, 0.035, 0x200030);
  b.ellipse(0.25, 0.7, 0.12, 0.08, 0xffffff);
  const feet = pose === 0 ? [0.3, 0.7] : pose === 1 ? [0.15, 0.8] : [0.4, 0.6];
  for (const x of feet) b.ellipse(x, 0.94, 0.14, 0.06, 0x7a40b0);
  return b.sprite;
}

export const jumperPainter: PainterFactory = (size, mode) => {
  const compassDim = COMPASS_DIM[mode];
  const view = new View();
  const walls = WALL_THEMES.map((_, theme) => paintWall(theme, false));
  const tops = WALL_THEMES.map((_, theme) => paintWall(theme, true));
  const carrot = paintCarrot();
  const spike = paintSpike();
  const bunny = [0, 1, 2].map(paintBunny);
  const trail = new SpriteBuilder(16, 16).ellipse(0.5, 0.5, 0.5, 0.5, 0xffffff).sprite;
  let layer: Surface | undefined;
  let layout: LayerGeometry | undefined;

  function bunnyPose(game: RenderableJumper): Sprite {
    const agent = game.entities.items[0]!;
    if (Math.abs(agent.vx) < 0.01 && game.actionVx === 0 && game.hasSupport) return bunny[0]!;
    return Math.floor(game.curTime / 5) % 2 === 0 || !game.hasSupport ? bunny[1]! : bunny[2]!;
  }

  function drawLayer(game: RenderableJumper, frame: Surface, renderZ: number): void {
    const { items, count } = game.entities;
    for (let i = 0; i < count; i++) {
      const e = items[i]!;
      if (e.renderZ !== renderZ) continue;
      if (e.type === PLAYER) view.drawEntity(frame, e, bunnyPose(game));
      else if (e.type === GOAL) view.drawEntity(frame, e, carrot);
      else if (e.type === SPIKE) view.drawEntity(frame, e, spike);
      else if (e.type === TRAIL) view.drawEntity(frame, e, trail);
    }
  }

  /** jumper.cpp `draw_compass`: a dial with a needle toward the carrot and a distance bar. */
  function drawCompass(game: RenderableJumper, frame: Surface): void {
    const { items, count } = game.entities;
    const agent = items[0]!;
    let goal = agent;
    for (let i = 1; i < count; i++) {
      if (items[i]!.type === GOAL) {
        goal = items[i]!;
        break;
      }
    }
    const unit = view.unit;
    const shape = view.shape;
    const left = (view.span - compassDim - 0.25) * unit;
    const top = 0.25 * unit;
    const diameter = compassDim * unit;
    fillEllipse(frame, shape.rect(left, top, left + diameter, top + diameter), COMPASS_FACE);
    const cx = left + diameter / 2;
    const cy = top + diameter / 2;
    const reach = (diameter / 2) * 0.95;
    const theta = Math.atan2(goal.y - agent.y, goal.x - agent.x);
    shape.rect(cx, cy, cx + reach * Math.cos(theta), cy - reach * Math.sin(theta)).thickness = size / (256 / compassDim);
    drawLine(frame, shape, COMPASS_NEEDLE);
    const dx = goal.x - agent.x;
    const dy = goal.y - agent.y;
    // Not Math.hypot: a builtin call would box its arguments (garbage every frame).
    const distance = Math.sqrt(dx * dx + dy * dy) / (game.mainWidth * Math.SQRT2);
    const barTop = top + diameter;
    fillRect(frame, shape.rect(left, barTop, left + diameter * distance, barTop + (compassDim / 8) * unit), COMPASS_NEEDLE);
  }

  /** The translucent ellipse at the feet on a mid-air (second) jump. */
  function drawJumpMark(game: RenderableJumper, frame: Surface): void {
    if (game.jumpDelta >= 0 || game.hasSupport) return;
    const agent = game.entities.items[0]!;
    // QRect(int...) truncates the float rect, as Procgen does.
    const x = Math.trunc(view.screenX(agent.x - agent.rx));
    const h = 2 * agent.ry * view.unit;
    const y = Math.trunc(view.screenY(agent.y + agent.ry) + h * (5 / 6));
    const shape = view.shape.rect(x, y, x + Math.trunc(2 * agent.rx * view.unit), y + Math.trunc(h / 3));
    shape.alpha = JUMP_MARK_ALPHA;
    fillEllipse(frame, shape, 0xffffff);
  }

  return {
    preload: () => preloadBackgrounds('platform', size),
    cacheBytes(game) {
      const { width, height } = layerGeometry(size, game);
      return width * height * 3;
    },
    prepareLevel(game, frame, cacheOffset) {
      const jumper = game as RenderableJumper;
      layout = layerGeometry(size, game);
      layer = createSurface(frame.memory, cacheOffset, layout.width, layout.height);
      paintStaticLayer(layer, layout, jumper, walls[jumper.wallTheme]!, tops[jumper.wallTheme]!);
    },
    paint(game, frame) {
      const jumper = game as RenderableJumper;
      view.place(size, game);
      const sx = Math.min(layer!.width - size, Math.max(0, layout!.worldLeft - view.originX));
      const sy = Math.min(layer!.height - size, Math.max(0, layout!.worldBottom - view.originY));
      copyBlock(layer!, sx, sy, frame, 0, 0, size, size);
      drawLayer(jumper, frame, 0);
      drawLayer(jumper, frame, 1);
      drawCompass(jumper, frame);
      drawJumpMark(jumper, frame);
    },
  };
};

interface LayerGeometry {
  width: number;
  height: number;
  /** Layer pixel x of world x = 0 (an integer). */
  worldLeft: number;
  /** Layer pixel y of world y = 0 (an integer). */
  worldBottom: number;
  unit: number;
  /** Output frame side in pixels. */
  size: number;
}

/** The world plus a margin of half a view and one cell on every side. */
function layerGeometry(size: number, game: RenderableGame): LayerGeometry {
  const span = game.visibility;
  const unit = size / span;
  const margin = Math.ceil(span / 2) + 1;
  const worldLeft = Math.ceil(margin * unit);
  const worldBottom = Math.ceil((game.mainHeight + margin) * unit);
  return {
    width: worldLeft + Math.ceil((game.mainWidth + margin) * unit),
    height: worldBottom + Math.ceil(margin * unit),
    worldLeft,
    worldBottom,
    unit,
    size,
  };
}

/**
 * Background over the world rect (fitted by height, shifted by bgPctX), then
 * the wall tiles; cells outside the world are walls (`out_of_bounds_object`).
 */
function paintStaticLayer(layer: Surface, layout: LayerGeometry, game: RenderableJumper, wall: Sprite, top: Sprite): void {
  const unit = layout.unit;
  const W = game.mainWidth;
  const H = game.mainHeight;
  const picture = backgroundPicture('platform', game.backgroundIndex, pictureHeightFor(layout.size));
  const pictureAspect = picture.width / picture.height;
  const worldAspect = W / H;
  const shift = game.bgPctX * (pictureAspect - worldAspect);
  // Per column and per row lookups (cell, texel in a tile, texel in the picture), so the pixel loop only indexes.
  const columnCell = new Int32Array(layer.width);
  const columnTile = new Int32Array(layer.width);
  const columnPicture = new Int32Array(layer.width);
  for (let i = 0; i < layer.width; i++) {
    const x = (i + 0.5 - layout.worldLeft) / unit;
    const col = Math.floor(x);
    columnCell[i] = col >= 0 && col < W ? col : -1;
    columnTile[i] = Math.min(wall.width - 1, Math.floor((x - col) * wall.width));
    const u = (x / W + shift) / (pictureAspect / worldAspect);
    columnPicture[i] = Math.min(picture.width - 1, Math.max(0, Math.floor(u * picture.width)));
  }
  const m = layer.memory;
  for (let j = 0; j < layer.height; j++) {
    const y = (layout.worldBottom - (j + 0.5)) / unit;
    const row = Math.floor(y);
    const rowInside = row >= 0 && row < H;
    const tileRow = Math.min(wall.height - 1, Math.floor((1 - (y - row)) * wall.height)) * wall.width;
    const pictureRow = Math.min(picture.height - 1, Math.max(0, Math.floor(((H - y) / H) * picture.height))) * picture.width;
    let p = layer.offset + j * layer.stride;
    for (let i = 0; i < layer.width; i++, p += 3) {
      const col = columnCell[i]!;
      const type = rowInside && col >= 0 ? game.grid[row * W + col]! : CAVEWALL;
      let source: Uint8Array;
      let q: number;
      if (type === CAVEWALL || type === CAVEWALL_TOP || type === WALL_OBJ) {
        source = type === CAVEWALL_TOP ? top.rgb : wall.rgb;
        q = (tileRow + columnTile[i]!) * 3;
      } else {
        source = picture.rgb;
        q = (pictureRow + columnPicture[i]!) * 3;
      }
      m[p] = source[q]!;
      m[p + 1] = source[q + 1]!;
      m[p + 2] = source[q + 2]!;
    }
  }
}
