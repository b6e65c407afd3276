/**
 * BigFish (procgen bigfish.cpp): the whole 20x20 world on a per-level water
 * background; the agent and the fish fill their hitboxes exactly, face their
 * direction of travel and come in 3 colour themes, so the size that decides
 * "eat or be eaten" is readable pixel for pixel.
 */
import { backgroundPicture, pictureHeightFor, preloadBackgrounds } from '../backgrounds.ts';
import { copyBlock, createSurface, type Surface } from '../raster.ts';
import { FISH, FISH_ASPECT_RATIOS } from '../../games/bigfish.ts';
import { PLAYER } from '../../engine/objects.ts';
import type { RenderableGame } from '../renderable.ts';
import { mix, SpriteBuilder, type Rgb, type Sprite } from '../sprite.ts';
import { paintWorldBackground, View } from '../view.ts';
import type { PainterFactory } from './painter.ts';

interface FishLook {
  body: Rgb;
  fin: Rgb;
  /** Sprite width / height: Procgen's asset aspect ratios (rx / ry of the hitbox). */
  aspect: number;
  striped: boolean;
}

/** Our own colours on Procgen's three fish shapes (fishTile_074, _078, _080 aspect ratios). */
const FISH_THEMES: readonly FishLook[] = [
  { body: 0xff8a1f, fin: 0xffffff, aspect: FISH_ASPECT_RATIOS[0]!, striped: true },
  { body: 0xe0409a, fin: 0x7a1a5a, aspect: FISH_ASPECT_RATIOS[1]!, striped: false },
  { body: 0xf2d22a, fin: 0x2a5ad0, aspect: FISH_ASPECT_RATIOS[2]!, striped: true },
];
const AGENT_LOOK: FishLook = { body: 0x2fd07a, fin: 0x0f7a3f, aspect: 1, striped: false };

/** A fish facing right that fills its box: body, tail, fins, eye. */
function paintFish(look: FishLook): Sprite {
  const width = 48;
  const height = Math.max(16, Math.round(width / look.aspect));
  const b = new SpriteBuilder(width, height);
  const round = look.aspect < 1.3;
  b.polygon([0, 0.08, 0.3, 0.5, 0, 0.92], look.fin);
  b.polygon([0.42, 0.02, 0.7, 0.2, 0.4, 0.3], look.fin);
  b.ellipse(0.6, 0.5, 0.4, round ? 0.46 : 0.42, look.body);
  b.shade(0.25, (_u, v) => v > 0.68);
  if (look.striped) {
    b.paint(look.fin, (u, v) => ((u > 0.44 && u < 0.5) || (u > 0.7 && u < 0.76)) && ((u - 0.6) / 0.4) ** 2 + ((v - 0.5) / 0.42) ** 2 <= 1);
  }
  b.polygon([0.5, 0.55, 0.66, 0.62, 0.52, 0.8], mix(look.body, look.fin, 0.6));
  b.ellipse(0.82, 0.38, 0.075, 0.11, 0xffffff);
  b.ellipse(0.845, 0.38, 0.04, 0.065, 0x101018);
  b.rect(0.93, 0.55, 1, 0.6, 0x401010);
  return b.sprite;
}

export const bigfishPainter: PainterFactory = (size) => {
  const view = new View();
  const fish = FISH_THEMES.map(paintFish);
  const agent = paintFish(AGENT_LOOK);
  let background: Surface | undefined;

  function drawLayer(game: RenderableGame, frame: Surface, renderZ: number): void {
    const { items, count } = game.entities;
    for (let i = 0; i < count; i++) {
      const e = items[i]!;
      if (e.renderZ !== renderZ) continue;
      if (e.type === PLAYER) view.drawEntity(frame, e, agent);
      else if (e.type === FISH) view.drawEntity(frame, e, fish[e.imageTheme]!);
    }
  }

  return {
    preload: () => preloadBackgrounds('water', size),
    cacheBytes: () => size * size * 3,
    prepareLevel(game, frame, cacheOffset) {
      background = createSurface(frame.memory, cacheOffset, size, size);
      view.place(size, game);
      paintWorldBackground(
        background,
        view,
        backgroundPicture('water', game.backgroundIndex, pictureHeightFor(size)),
        game.mainWidth,
        game.mainHeight,
        game.bgPctX,
      );
    },
    paint(game, frame) {
      copyBlock(background!, 0, 0, frame, 0, 0, size, size);
      drawLayer(game, frame, -1);
      drawLayer(game, frame, 0);
      drawLayer(game, frame, 1);
    },
  };
};
