/**
 * A Procgen entity (procgen/src/entity.cpp). Every numeric field that is a C++
 * `float` is stored through `Math.fround` by the code that writes it, so the
 * port follows the real float32 arithmetic. Entities are pooled by the engine
 * and reset with `reset()` instead of being reallocated, so stepping creates no
 * garbage.
 *
 * The rendering code reads only the fields marked "drawn".
 */
export class Entity {
  /** Game-specific entity type (each game's rules file names its types). Drawn. */
  type = 0;
  /** Centre position in world units, y up. Drawn. */
  x = 0;
  y = 0;
  vx = 0;
  vy = 0;
  /** Half extents of the hitbox. Drawn. */
  rx = 0;
  ry = 0;
  /** Visual variant chosen at spawn (fish colour, ship colour, ...). Drawn. */
  imageTheme = 0;
  /** Draw layer: -1 below the grid, 0 above it, 1 on top (the agent). Drawn. */
  renderZ = 0;
  /** Rotation of the sprite about its centre, radians. Drawn. */
  rotation = 0;
  /** Mirrored horizontally when drawn. Drawn. */
  isReflected = false;
  /** Opacity in 0..1. Drawn. */
  alpha = 1;
  alphaDecay = 1;
  growRate = 1;
  /** Steps lived; cosmetic entities use it for their animation frame. Drawn. */
  lifeTime = 0;
  /** Expires once lifeTime > expireTime, when expireTime > 0. */
  expireTime = 0;
  willErase = false;
  autoErase = true;
  collidesWithEntities = false;
  /** Moved by the grid-aware sub-stepping (only the agent in our games). */
  smartStep = false;
  health = 0;
  spawnTime = 0;
  fireTime = 0;

  reset(): this {
    this.type = 0;
    this.x = this.y = this.vx = this.vy = this.rx = this.ry = 0;
    this.imageTheme = 0;
    this.renderZ = 0;
    this.rotation = 0;
    this.isReflected = false;
    this.alpha = 1;
    this.alphaDecay = 1;
    this.growRate = 1;
    this.lifeTime = 0;
    this.expireTime = 0;
    this.willErase = false;
    this.autoErase = true;
    this.collidesWithEntities = false;
    this.smartStep = false;
    this.health = 0;
    this.spawnTime = 0;
    this.fireTime = 0;
    return this;
  }

  /** Field-by-field copy: Object.assign would box every number it copies. */
  copyFrom(other: Entity): this {
    this.type = other.type;
    this.x = other.x;
    this.y = other.y;
    this.vx = other.vx;
    this.vy = other.vy;
    this.rx = other.rx;
    this.ry = other.ry;
    this.imageTheme = other.imageTheme;
    this.renderZ = other.renderZ;
    this.rotation = other.rotation;
    this.isReflected = other.isReflected;
    this.alpha = other.alpha;
    this.alphaDecay = other.alphaDecay;
    this.growRate = other.growRate;
    this.lifeTime = other.lifeTime;
    this.expireTime = other.expireTime;
    this.willErase = other.willErase;
    this.autoErase = other.autoErase;
    this.collidesWithEntities = other.collidesWithEntities;
    this.smartStep = other.smartStep;
    this.health = other.health;
    this.spawnTime = other.spawnTime;
    this.fireTime = other.fireTime;
    return this;
  }
}
