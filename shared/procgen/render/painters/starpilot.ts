/**
 * StarPilot (procgen starpilot.cpp): the whole 16x16 world over a space
 * picture tiled as 3H x 3H squares that scrolls left 0.2 units per step.
 * The ship faces right; enemies (7 colour themes) face their motion; player
 * and enemy bullets differ; explosions have 5 frames; the finish rocket has 4.
 */
import { backgroundPicture, pictureHeightFor, preloadBackgrounds } from '../backgrounds.ts';
import { EXPLOSION, PLAYER } from '../../engine/objects.ts';
import { copyBlock, createSurface, type Surface } from '../raster.ts';
import {
  BACKGROUND_SCROLL_PER_STEP,
  BULLET2,
  BULLET3,
  BULLET_PLAYER,
  CLOUD,
  FAST_FLYER,
  FINISH_ASPECT_RATIOS,
  FINISH_LINE,
  FLYER,
  METEOR,
  TURRET,
} from '../../games/starpilot.ts';
import type { RenderableGame } from '../renderable.ts';
import { mix, SpriteBuilder, type Rgb, type Sprite } from '../sprite.ts';
import { View } from '../view.ts';
import type { PainterFactory } from './painter.ts';

/** Side of one background tile in frame heights (`bg_k`). */
const TILE_SCALE = 3;

const SHIP_COLORS: readonly Rgb[] = [0xe03a3a, 0x3ac05a, 0xe08a20, 0xa050e0, 0xe0d040, 0x40c0d0, 0xa0a0a8];
const ROCKET_COLORS: readonly (readonly [Rgb, Rgb])[] = [
  [0xf0f0f0, 0xd03030],
  [0xf0e080, 0x3050c0],
  [0xc0c8d0, 0x30a050],
  [0xf0a040, 0x603090],
];

/** The player's ship, nose up (drawn rotated by pi/2 so it faces right). */
function paintPlayer(): Sprite {
  return new SpriteBuilder(40, 40)
    .polygon([0.5, 0, 0.68, 0.55, 0.5, 0.72, 0.32, 0.55], 0xe8f0ff)
    .polygon([0.5, 0.3, 1, 0.78, 1, 0.92, 0.5, 0.8, 0, 0.92, 0, 0.78], 0x2f7fe0)
    .polygon([0.38, 0.78, 0.62, 0.78, 0.56, 1, 0.44, 1], 0xffb030)
    .ellipse(0.5, 0.38, 0.07, 0.13, 0x60e0ff).sprite;
}

/** An enemy ship, nose down (rotated by +-pi/2 to face its motion). */
function paintEnemy(color: Rgb): Sprite {
  return new SpriteBuilder(40, 40)
    .polygon([0.5, 1, 0.75, 0.4, 0.5, 0.15, 0.25, 0.4], color)
    .polygon([0.5, 0.55, 1, 0.1, 0.9, 0, 0.5, 0.3, 0.1, 0, 0, 0.1], mix(color, 0x000000, 0.35))
    .ellipse(0.5, 0.55, 0.09, 0.12, 0xffffff)
    .ellipse(0.5, 0.57, 0.05, 0.07, 0x202030).sprite;
}

/** A bolt along the sprite's vertical axis (rotated to its motion), smaller than its hitbox like Procgen's tiles. */
function paintBullet(core: Rgb, glow: Rgb): Sprite {
  return new SpriteBuilder(16, 16).ellipse(0.5, 0.5, 0.22, 0.4, glow).ellipse(0.5, 0.5, 0.1, 0.28, core).sprite;
}

/** Five frames of a burst: bright and small, then wide, dim and ragged. */
function paintExplosion(frame: number): Sprite {
  const b = new SpriteBuilder(24, 24);
  const outer = 0.3 + frame * 0.05;
  const colors: readonly Rgb[] = [0xfff4a0, 0xffc040, 0xff7020, 0xc03a20, 0x705048];
  b.paint(colors[frame]!, (u, v) => {
    const a = Math.atan2(v - 0.5, u - 0.5);
    const r = Math.hypot(u - 0.5, v - 0.5) / (outer * (0.8 + 0.2 * Math.cos(a * 7 + frame)));
    return r <= 1 && r >= frame * 0.18;
  });
  if (frame < 3) b.ellipse(0.5, 0.5, 0.12 - frame * 0.03, 0.12 - frame * 0.03, 0xffffff);
  return b.sprite;
}

/** A tall rocket, nose up, filling its box: the finish line. */
function paintRocket(theme: number): Sprite {
  const [hull, trim] = ROCKET_COLORS[theme]!;
  const height = 120;
  const width = Math.max(12, Math.round(height * FINISH_ASPECT_RATIOS[theme]!));
  const b = new SpriteBuilder(width, height);
  b.polygon([0.5, 0, 0.8, 0.16, 0.8, 0.86, 0.2, 0.86, 0.2, 0.16], hull);
  b.polygon([0.5, 0, 0.75, 0.13, 0.25, 0.13], trim);
  b.polygon([0.2, 0.6, 0, 0.9, 0, 0.98, 0.2, 0.86], trim);
  b.polygon([0.8, 0.6, 1, 0.9, 1, 0.98, 0.8, 0.86], trim);
  b.rect(0.2, 0.45, 0.8, 0.5, trim);
  b.ellipse(0.5, 0.28, 0.14, 0.04, 0x3080c0);
  b.polygon([0.3, 0.86, 0.7, 0.86, 0.5, 1], 0xffa020);
  b.shade(0.2, (u) => u > 0.55);
  return b.sprite;
}

function paintMeteor(theme: number): Sprite {
  const base = mix(0x8a7a6a, 0x9aa0a8, theme / 7);
  return new SpriteBuilder(32, 32)
    .polygon([0.3, 0.02, 0.75, 0.08, 0.98, 0.45, 0.8, 0.92, 0.35, 0.98, 0.03, 0.65, 0.08, 0.25], base)
    .ellipse(0.35, 0.4, 0.1, 0.08, mix(base, 0x000000, 0.3))
    .ellipse(0.65, 0.68, 0.12, 0.09, mix(base, 0x000000, 0.3)).sprite;
}

function paintCloud(theme: number): Sprite {
  const color = SHIP_COLORS[theme % SHIP_COLORS.length]!;
  return new SpriteBuilder(32, 32).ellipse(0.5, 0.5, 0.5, 0.4, mix(color, 0xffffff, 0.5), 110).ellipse(0.4, 0.45, 0.3, 0.3, mix(color, 0xffffff, 0.7), 140)
    .sprite;
}

function paintTurret(theme: number): Sprite {
  const hull = theme === 0 ? 0x9098a8 : 0xa89070;
  return new SpriteBuilder(32, 32)
    .ellipse(0.5, 0.5, 0.5, 0.5, hull)
    .ellipse(0.5, 0.5, 0.3, 0.3, mix(hull, 0x000000, 0.4))
    .rect(0.42, 0, 0.58, 0.5, 0x303030).sprite;
}

/**
 * Scroll strips of observation-sized frames by background and size: they
 * depend on nothing else, so each is painted once per thread. Large replay
 * renders (megabytes per strip) are painted per level instead of kept.
 */
const strips = new Map<string, Uint8Array>();
const MAX_CACHED_STRIP_SIZE = 128;

/**
 * The visible band of the tiled background as RGB rows one tile plus one frame
 * wide: the tile is TILE_SCALE frames square and spans rows -size..2*size.
 */
function scrollStrip(backgroundIndex: number, size: number): Uint8Array {
  const key = `${backgroundIndex}:${size}`;
  let strip = strips.get(key);
  if (strip) return strip;
  const picture = backgroundPicture('space', backgroundIndex, pictureHeightFor(size));
  const tileWidth = TILE_SCALE * size;
  const width = tileWidth + size;
  strip = new Uint8Array(width * size * 3);
  for (let j = 0; j < size; j++) {
    const row = Math.floor(((j + size + 0.5) / tileWidth) * picture.height) * picture.width;
    for (let i = 0; i < width; i++) {
      const q = (row + Math.floor((((i % tileWidth) + 0.5) / tileWidth) * picture.width)) * 3;
      const p = (j * width + i) * 3;
      strip[p] = picture.rgb[q]!;
      strip[p + 1] = picture.rgb[q + 1]!;
      strip[p + 2] = picture.rgb[q + 2]!;
    }
  }
  if (size <= MAX_CACHED_STRIP_SIZE) strips.set(key, strip);
  return strip;
}

export const starpilotPainter: PainterFactory = (size) => {
  const tileWidth = TILE_SCALE * size;
  let strip: Surface | undefined;
  const view = new View();
  const player = paintPlayer();
  const enemies = SHIP_COLORS.map(paintEnemy);
  const playerBullet = paintBullet(0xffffff, 0x40e0ff);
  const enemyBullet = paintBullet(0xfff0a0, 0xff3030);
  const turretBullet = paintBullet(0xffffff, 0xc040ff);
  const explosions = [0, 1, 2, 3, 4].map(paintExplosion);
  const rockets = FINISH_ASPECT_RATIOS.map((_, theme) => paintRocket(theme));
  const meteors = Array.from({ length: 8 }, (_, theme) => paintMeteor(theme));
  const clouds = Array.from({ length: 9 }, (_, theme) => paintCloud(theme));
  const turrets = [0, 1].map(paintTurret);

  function spriteFor(type: number, theme: number, lifeTime: number): Sprite | undefined {
    switch (type) {
      case PLAYER:
        return player;
      case FLYER:
      case FAST_FLYER:
        return enemies[theme];
      case FINISH_LINE:
        return rockets[theme];
      case METEOR:
        return meteors[theme];
      case CLOUD:
        return clouds[theme];
      case TURRET:
        return turrets[theme];
      case EXPLOSION:
        // Procgen advances the explosion image once per step, up to the fifth.
        return explosions[Math.min(4, lifeTime)];
      case BULLET_PLAYER:
        return playerBullet;
      case BULLET2:
        return enemyBullet;
      case BULLET3:
        return turretBullet;
      default:
        return undefined;
    }
  }

  function drawLayer(game: RenderableGame, frame: Surface, renderZ: number): void {
    const { items, count } = game.entities;
    for (let i = 0; i < count; i++) {
      const e = items[i]!;
      if (e.renderZ !== renderZ) continue;
      const sprite = spriteFor(e.type, e.imageTheme, e.lifeTime);
      if (sprite) view.drawEntity(frame, e, sprite);
    }
  }

  return {
    preload: () => preloadBackgrounds('space', size),
    // A horizontal strip one tile plus one frame wide: the visible band of the tiles.
    cacheBytes: () => (tileWidth + size) * size * 3,
    prepareLevel(game, frame, cacheOffset) {
      strip = createSurface(frame.memory, cacheOffset, tileWidth + size, size);
      view.place(size, game);
      frame.memory.set(scrollStrip(game.backgroundIndex, size), cacheOffset);
    },
    paint(game, frame) {
      const scroll = Math.floor(game.curTime * BACKGROUND_SCROLL_PER_STEP * view.unit) % tileWidth;
      copyBlock(strip!, scroll, 0, frame, 0, 0, size, size);
      drawLayer(game, frame, -1);
      drawLayer(game, frame, 0);
      drawLayer(game, frame, 1);
    },
  };
};
