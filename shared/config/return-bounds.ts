/**
 * Procgen's return normalisation (arXiv 1912.01588; procgen-rules §5): the
 * services' results and the renderer's normalised charts use the same bounds.
 */
import type { GameName } from '../procgen/games/index.ts';
import type { Mode } from '../procgen/engine/game.ts';

/** (Rmin, Rmax) per game and mode. */
export const RETURN_BOUNDS: Readonly<Record<GameName, Readonly<Record<Mode, readonly [number, number]>>>> = {
  bigfish: { easy: [1, 40], hard: [0, 40] },
  starpilot: { easy: [2.5, 64], hard: [1.5, 35] },
  jumper: { easy: [3, 10], hard: [1, 10] },
};

export function normalisedReturn(game: GameName, mode: Mode, value: number): number {
  const [low, high] = RETURN_BOUNDS[game][mode];
  return (value - low) / (high - low);
}
