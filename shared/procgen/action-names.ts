import type { GameName } from './games/index.ts';
import { NUM_ACTIONS } from './engine/actions.ts';

/** Procgen's 3x3 moves in action order (env.py `get_combos`). */
const MOVES = ['LEFT+DOWN', 'LEFT', 'LEFT+UP', 'DOWN', 'NOOP', 'UP', 'RIGHT+DOWN', 'RIGHT', 'RIGHT+UP'];
/** The special keys of actions 9..14. */
const KEYS = ['D', 'A', 'W', 'S', 'Q', 'E'];

/**
 * What an action does in a game: starpilot fires with every special key (A
 * backwards); bigfish and jumper ignore them, so they are no-ops named by key.
 */
export function actionName(game: string, action: number): string {
  if (action < 9) return MOVES[action] ?? `action ${action}`;
  const key = KEYS[action - 9] ?? '?';
  if ((game as GameName) === 'starpilot') return action === 10 ? 'FIRE BACK' : `FIRE (${key})`;
  return `NOOP (${key})`;
}

/** Short arrow glyphs for dense per-step strips. */
const GLYPHS = ['↙', '←', '↖', '↓', '·', '↑', '↘', '→', '↗'];
export function actionGlyph(action: number): string {
  return action < 9 ? (GLYPHS[action] ?? '?') : (KEYS[action - 9] ?? '?');
}

export const ACTIONS: readonly number[] = Array.from({ length: NUM_ACTIONS }, (_, a) => a);
