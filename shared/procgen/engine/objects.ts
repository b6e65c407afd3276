/** Grid cell and entity ids shared by every game (procgen/src/object-ids.h). */

/** Entity type of the agent; always `entities[0]`. */
export const PLAYER = 0;
/** An empty grid cell. */
export const SPACE = 100;
/** A blocking grid cell. */
export const WALL_OBJ = 51;
/** What a lookup outside the grid returns when a game sets no other out-of-bounds object. */
export const INVALID_OBJ = -1;
/** Cosmetic entity: grows x1.4 per step, erased after 5 steps (5 animation frames). */
export const EXPLOSION = 54;
/** Cosmetic entity: jumper's fading trail. */
export const TRAIL = 59;
