import type { Mode, ProcgenGame } from '../engine/game.ts';
import { BigFish } from './bigfish.ts';
import { Jumper } from './jumper.ts';
import { StarPilot } from './starpilot.ts';

/** Every playable game: name -> factory for a game in the given mode. */
export const GAMES = {
  bigfish: (mode: Mode): ProcgenGame => new BigFish(mode),
  starpilot: (mode: Mode): ProcgenGame => new StarPilot(mode),
  jumper: (mode: Mode): ProcgenGame => new Jumper(mode),
} as const satisfies Record<string, (mode: Mode) => ProcgenGame>;

export type GameName = keyof typeof GAMES;

/** Game names, in the order tables and error messages list them. */
export const GAME_NAMES = Object.keys(GAMES) as GameName[];

export function isGameName(name: string): name is GameName {
  return Object.hasOwn(GAMES, name);
}

/** A new game (not yet reset: call `resetLevel(seed)` or wrap it in `ProcgenEnv`). */
export function createGame(name: string, mode: Mode): ProcgenGame {
  if (!isGameName(name)) throw new RangeError(`Unknown game '${name}': valid games are ${GAME_NAMES.join(', ')}.`);
  if (mode !== 'easy' && mode !== 'hard') throw new RangeError(`Unknown mode '${String(mode)}': valid modes are easy, hard.`);
  return GAMES[name](mode);
}
