/**
 * Procgen's 15 discrete actions (procgen/env.py `get_combos`). Actions 0..8 are
 * the 3x3 moves; 9..14 are the special keys D, A, W, S, Q, E, which also mean
 * "no movement" for that step.
 */
export const NUM_ACTIONS = 15;

/** The move part of an action (0..8; 4 = stand still). */
export function moveOf(action: number): number {
  return action >= 9 ? 4 : action % 9;
}

/** The special key of an action: 0 for none, else action - 8 (1 = D ... 6 = E). */
export function specialOf(action: number): number {
  return action >= 9 ? action - 8 : 0;
}

/** Throws a message naming the bad value and the valid range unless `action` is an integer in 0..14. */
export function checkAction(action: number): void {
  if (!Number.isInteger(action) || action < 0 || action >= NUM_ACTIONS) {
    throw new RangeError(`Invalid action ${action}: actions are integers 0..${NUM_ACTIONS - 1}.`);
  }
}
