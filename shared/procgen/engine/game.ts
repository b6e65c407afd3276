import { moveOf, specialOf } from './actions.ts';
import { Entity } from './entity.ts';
import { EntityList } from './entity-list.ts';
import { f32, fmaf } from './float32.ts';
import { EXPLOSION, INVALID_OBJ, PLAYER, SPACE, TRAIL, WALL_OBJ } from './objects.ts';
import { RandGen } from './rng.ts';
import { checkLevelSeed } from '../levels.ts';

export const MODES = ['easy', 'hard'] as const;
export type Mode = (typeof MODES)[number];

/** Agent radius at the start of every level (`a_r`). */
const AGENT_START_R = f32(0.4);
/** Corners are tested at 98% of the half extents, so touching a wall is not being inside it. */
const CORNER_MARGIN = f32(0.98);
const EXPLOSION_GROW_RATE = f32(1.4);
const TRAIL_GROW_RATE = f32(1.05);
const TRAIL_ALPHA_DECAY = f32(0.8);

/**
 * Procgen's `Game` + `BasicAbstractGame` (procgen/src/basic-abstract-game.cpp):
 * the world grid, the ordered entity list, one step of the common rules and
 * the common level reset. Each game subclass adds its rules.
 *
 * Conventions the renderer relies on:
 * - World units, 1 grid cell = 1 unit, **y up** (row 0 is the bottom).
 * - `grid[y * mainWidth + x]` holds the cell id (`SPACE`, `WALL_OBJ` or a game's own ids).
 *   Cells outside the world read as `outOfBoundsObject`.
 * - `entities.items[0 .. entities.count)` in vector order; `entities.items[0]` is the agent.
 * - Every float field is a float32 value (`Math.fround`) exactly as in Procgen.
 *
 * A step writes its result into `reward`, `done` and `levelComplete` (no object per step).
 * Auto-reset, level-seed choice and `info` live in `ProcgenEnv` (env.ts).
 */
export abstract class ProcgenGame {
  /** Registry name, e.g. 'bigfish'. */
  abstract readonly name: string;
  /** Timeout in steps: `done` once `curTime >= timeout`. */
  abstract readonly timeout: number;
  /** How many backgrounds the game chooses from (`background_index = randn(count)`). */
  abstract readonly backgroundCount: number;

  /** World size in cells. */
  mainWidth = 0;
  mainHeight = 0;
  /** The world grid, index y*W + x, y = 0 at the bottom. */
  grid = new Int32Array(0);
  /** What a cell lookup outside the grid returns (drawn for cells outside the world). */
  outOfBoundsObject = INVALID_OBJ;
  /** Ordered entities; index 0 is the agent. */
  readonly entities = new EntityList();
  /** The agent, `entities.items[0]` (re-read after every reset/restore). */
  agent: Entity = new Entity();

  /** Steps since the level started (0 right after reset). */
  curTime = 0;
  /** The seed of the level being played. */
  levelSeed = 0;
  /** Which of `backgroundCount` backgrounds this level uses. */
  backgroundIndex = 0;
  /** Horizontal offset of the background image in [0, 1]. */
  bgPctX = 0;

  /**
   * Camera: with `centerAgent` false the whole world is shown (visibility =
   * max(W, H)); with it true a `visibility`-unit square centred on the agent.
   */
  centerAgent = false;
  visibility = 16;

  /** Result of the last `step()`. */
  reward = 0;
  done = false;
  levelComplete = false;

  /** The action of the current step and its decoding (`set_action_xy`). */
  action = 4;
  moveAction = 4;
  specialAction = 0;
  actionVx = 0;
  actionVy = 0;
  /** One draw per step, used for tie-breaks (`step_rand_int`). */
  stepRandInt = 0;

  /** Velocity mixing of the default agent controller. */
  protected mixrate = f32(0.5);
  protected maxspeed = f32(0.5);

  /** All level generation and in-episode randomness. */
  readonly rng = new RandGen();

  constructor(readonly mode: Mode) {}

  // ---- subclass hooks -------------------------------------------------------

  /** Sets `mainWidth`/`mainHeight` before the grid is (re)built. */
  protected abstract chooseWorldDim(): void;
  /** Game-specific part of the reset, after the common prefix. */
  protected abstract gameReset(): void;
  /** Game-specific part of the step, after the common step. */
  protected abstract gameStep(): void;
  /** The agent touched `ent` (called even for entities already marked for erasure). */
  protected abstract handleAgentCollision(ent: Entity): void;
  /** `src` (which collides with entities) touched `target`; neither is marked for erasure. */
  protected handleCollision(_src: Entity, _target: Entity): void {}
  /** Copies the game's own fields from `other` (clone/restore). */
  protected abstract copyGameFieldsFrom(other: this): void;

  /** Whether the grid cell `cell` blocks `ent` (Procgen `is_blocked`). */
  protected isBlocked(_ent: Entity, cell: number): boolean {
    return cell === WALL_OBJ || cell === this.outOfBoundsObject;
  }

  /** `set_action_xy`: decodes the move into `actionVx`/`actionVy`. */
  protected setActionXY(move: number): void {
    this.actionVx = ((move / 3) | 0) - 1;
    this.actionVy = (move % 3) - 1;
  }

  /** `update_agent_velocity`: mix toward the input, then decay by 0.9. */
  protected updateAgentVelocity(): void {
    const a = this.agent;
    const keep = f32(1 - this.mixrate);
    const push = f32(this.mixrate * this.maxspeed);
    a.vx = f32(a.vx * keep);
    a.vy = f32(a.vy * keep);
    a.vx = f32(a.vx + f32(push * this.actionVx));
    a.vy = f32(a.vy + f32(push * this.actionVy));
    // `.9 * vx` is a double product in C++, rounded once on store.
    a.vx = f32(0.9 * a.vx);
    a.vy = f32(0.9 * a.vy);
  }

  // ---- level reset ----------------------------------------------------------

  /** Starts the level `seed` (`Game::reset` after the seed choice). */
  resetLevel(seed: number): void {
    checkLevelSeed(seed);
    this.levelSeed = seed;
    this.rng.seed(seed);
    this.resetCommon();
    this.gameReset();
    this.curTime = 0;
    this.action = 4;
  }

  /** `BasicAbstractGame::game_reset`: background, agent at a random spot, grid all SPACE. */
  private resetCommon(): void {
    this.chooseWorldDim();
    const W = this.mainWidth;
    const H = this.mainHeight;
    this.bgPctX = this.rng.rand01();
    if (this.grid.length !== W * H) this.grid = new Int32Array(W * H);
    this.backgroundIndex = this.rng.randn(this.backgroundCount);
    this.entities.clear();
    const r = AGENT_START_R;
    const ax = fmaf(this.rng.rand01(), f32(W - f32(2 * r)), r);
    const ay = fmaf(this.rng.rand01(), f32(H - f32(2 * r)), r);
    const agent = this.addEntity(PLAYER);
    agent.x = ax;
    agent.y = ay;
    agent.rx = r;
    agent.ry = r;
    agent.smartStep = true;
    agent.renderZ = 1;
    this.agent = agent;
    this.grid.fill(SPACE);
  }

  /**
   * Appends an entity of `type` initialised like Procgen's `Entity`
   * constructor, at rest at the origin; the caller sets its position, size
   * and velocity (assigning fields directly, so no number is boxed per call).
   */
  protected addEntity(type: number): Entity {
    const e = this.entities.add();
    e.type = type;
    e.health = 1;
    e.fireTime = -1;
    e.spawnTime = -1;
    e.expireTime = -1;
    if (type === EXPLOSION) {
      e.growRate = EXPLOSION_GROW_RATE;
      e.expireTime = 4;
    } else if (type === TRAIL) {
      e.growRate = TRAIL_GROW_RATE;
      e.alphaDecay = TRAIL_ALPHA_DECAY;
    }
    return e;
  }

  // ---- one step -------------------------------------------------------------

  /** Plays one action (0..14); the result is in `reward`, `done`, `levelComplete`. */
  step(action: number): void {
    this.curTime += 1;
    this.reward = 0;
    this.done = false;
    this.levelComplete = false;
    this.action = action;
    this.stepCommon();
    this.gameStep();
    if (this.curTime >= this.timeout) this.done = true;
  }

  /** `BasicAbstractGame::game_step`, in Procgen's order. */
  private stepCommon(): void {
    this.stepRandInt = this.rng.randint(0, 1000000);
    const action = this.action;
    this.moveAction = moveOf(action);
    this.specialAction = specialOf(action);
    this.actionVx = 0;
    this.actionVy = 0;
    this.setActionXY(this.moveAction);
    this.updateAgentVelocity();

    const list = this.entities;
    for (let i = list.count - 1; i >= 0; i--) {
      const e = list.items[i]!;
      if (e.smartStep) this.stepSmartObject(e);
      stepEntity(e);
    }

    const agent = this.agent;
    for (let i = list.count - 1; i >= 0; i--) {
      const e = list.items[i]!;
      if (e.type !== PLAYER && overlaps(e, agent)) this.handleAgentCollision(e);
      if (e.collidesWithEntities) {
        // The count is re-read: entities added by a collision are visible to later checks, as in Procgen.
        for (let j = list.count - 1; j >= 0; j--) {
          if (i === j) continue;
          const other = list.items[j]!;
          if (overlaps(e, other) && !e.willErase && !other.willErase) this.handleCollision(e, other);
        }
      }
    }

    list.removeWhere(this.shouldErase);
    if (this.isOutOfBounds(agent)) this.done = true;
  }

  private readonly shouldErase = (e: Entity): boolean => e.willErase || (e.autoErase && this.isOutOfBounds(e));

  /** Fully outside the world rect. */
  private isOutOfBounds(e: Entity): boolean {
    return f32(e.x + e.rx) < 0 || f32(e.y + e.ry) < 0 || f32(e.x - e.rx) > this.mainWidth || f32(e.y - e.ry) > this.mainHeight;
  }

  /**
   * `basic_step_object`: moves a grid-aware entity (the agent) in at least 4
   * sub-steps per axis, stopping at blocking cells and scaling its velocity
   * by the fraction of free sub-steps.
   */
  private stepSmartObject(e: Entity): void {
    if (e.willErase) return;
    let n = Math.trunc(4 * Math.sqrt(fmaf(e.vx, e.vx, f32(e.vy * e.vy))));
    if (n < 4) n = 4;
    const cmp = f32(Math.abs(e.vx) - Math.abs(e.vy));
    let xFirst = cmp === 0 ? this.stepRandInt % 2 === 0 : cmp > 0;
    if (e.type === PLAYER) {
      if (this.actionVx !== 0) xFirst = true;
      if (this.actionVy !== 0) xFirst = false;
    }
    let freeX = 0;
    let freeY = 0;
    for (let s = 0; s < n; s++) {
      let blockX: boolean;
      let blockY: boolean;
      if (xFirst) {
        blockX = this.subStep(e, true, n);
        blockY = this.subStep(e, false, n);
      } else {
        blockY = this.subStep(e, false, n);
        blockX = this.subStep(e, true, n);
      }
      if (!blockX) freeX += 1;
      if (!blockY) freeY += 1;
      if (blockX && blockY) break;
    }
    e.vx = f32(e.vx * f32(freeX / n));
    e.vy = f32(e.vy * f32(freeY / n));
  }

  /**
   * `sub_step`: tries to move one 1/n-th of the velocity along one axis; if a
   * corner (at 98% of the half extents) lands in a blocking cell, snaps flush
   * against that cell instead. Entity-entity blocking never happens in our
   * games, so it is not modelled. Takes only integers and booleans so that no
   * number is boxed per call.
   */
  private subStep(e: Entity, horizontal: boolean, n: number): boolean {
    if (e.willErase) return false;
    const pct = f32(1 / n);
    const dx = horizontal ? f32(e.vx * pct) : 0;
    const dy = horizontal ? 0 : f32(e.vy * pct);
    let nx = f32(e.x + dx);
    let ny = f32(e.y + dy);
    const mx = f32(e.rx * CORNER_MARGIN);
    const my = f32(e.ry * CORNER_MARGIN);
    // A zero horizontal move counts as vertical, as in Procgen (`is_horizontal = vx != 0`).
    const block =
      this.isBlocked(e, this.cellAt(Math.floor(f32(nx - mx)), Math.floor(f32(ny - my)))) ||
      this.isBlocked(e, this.cellAt(Math.floor(f32(nx - mx)), Math.floor(f32(ny + my)))) ||
      this.isBlocked(e, this.cellAt(Math.floor(f32(nx + mx)), Math.floor(f32(ny - my)))) ||
      this.isBlocked(e, this.cellAt(Math.floor(f32(nx + mx)), Math.floor(f32(ny + my))));
    if (block) {
      if (dx !== 0) {
        nx = dx > 0 ? f32(Math.floor(f32(nx + e.rx)) - e.rx) : f32(Math.ceil(f32(nx - e.rx)) + e.rx);
      } else {
        ny = dy > 0 ? f32(Math.floor(f32(ny + e.ry)) - e.ry) : f32(Math.ceil(f32(ny - e.ry)) + e.ry);
      }
    }
    e.x = nx;
    e.y = ny;
    return block;
  }

  // ---- grid access ----------------------------------------------------------

  /** The cell at integer coordinates, or `outOfBoundsObject` outside the grid. */
  cellAt(x: number, y: number): number {
    if (x < 0 || y < 0 || x >= this.mainWidth || y >= this.mainHeight) return this.outOfBoundsObject;
    return this.grid[y * this.mainWidth + x]!;
  }

  /**
   * The cell containing the world point (x, y) (`get_obj_from_floats`; floor()
   * of a negative coordinate is negative, which is outside). Hot paths inline
   * `cellAt(Math.floor(x), Math.floor(y))` so that only integers cross a call.
   */
  cellAtPoint(x: number, y: number): number {
    return this.cellAt(Math.floor(x), Math.floor(y));
  }

  // ---- clone / restore ------------------------------------------------------

  /** A new game of the same kind in exactly this state (for planners and replays). */
  clone(): this {
    const copy = new (this.constructor as new (mode: Mode) => this)(this.mode);
    copy.copyFrom(this);
    return copy;
  }

  /**
   * Makes this game an exact copy of `other` (same game and mode), including
   * both the RNG state and every entity. Allocates nothing once this game has
   * held as many entities as `other` holds.
   */
  copyFrom(other: this): void {
    if (other.name !== this.name || other.mode !== this.mode) {
      throw new Error(`Cannot copy a ${other.name}/${other.mode} state into a ${this.name}/${this.mode} game.`);
    }
    this.mainWidth = other.mainWidth;
    this.mainHeight = other.mainHeight;
    if (this.grid.length !== other.grid.length) this.grid = new Int32Array(other.grid.length);
    this.grid.set(other.grid);
    this.outOfBoundsObject = other.outOfBoundsObject;
    this.entities.copyFrom(other.entities);
    this.agent = this.entities.items[0]!;
    this.curTime = other.curTime;
    this.levelSeed = other.levelSeed;
    this.backgroundIndex = other.backgroundIndex;
    this.bgPctX = other.bgPctX;
    this.centerAgent = other.centerAgent;
    this.visibility = other.visibility;
    this.reward = other.reward;
    this.done = other.done;
    this.levelComplete = other.levelComplete;
    this.action = other.action;
    this.moveAction = other.moveAction;
    this.specialAction = other.specialAction;
    this.actionVx = other.actionVx;
    this.actionVy = other.actionVy;
    this.stepRandInt = other.stepRandInt;
    this.mixrate = other.mixrate;
    this.maxspeed = other.maxspeed;
    this.rng.copyFrom(other.rng);
    this.copyGameFieldsFrom(other);
  }

  /**
   * For a planner that must not know more than the screen shows: draws afresh, from this
   * game's (reseeded) generator, whatever the state holds for the next `steps` steps that
   * no frame reveals. Nothing by default: a game that draws its surprises from the
   * generator as it goes (bigfish's fish) is made fair by reseeding alone.
   */
  redrawHidden(_steps: number): void {}
}

/** `Entity::step` for every entity: free movement (unless grid-aware), ageing, growth, fading. */
function stepEntity(e: Entity): void {
  if (!e.smartStep) {
    e.x = f32(e.x + e.vx);
    e.y = f32(e.y + e.vy);
  }
  e.lifeTime += 1;
  if (e.expireTime > 0 && e.lifeTime > e.expireTime) e.willErase = true;
  e.rx = f32(e.rx * e.growRate);
  e.ry = f32(e.ry * e.growRate);
  e.alpha = f32(e.alphaDecay * e.alpha);
}

/** Strict AABB overlap with no margin (`has_collision`). */
function overlaps(a: Entity, b: Entity): boolean {
  return Math.abs(f32(a.x - b.x)) < f32(a.rx + b.rx) && Math.abs(f32(a.y - b.y)) < f32(a.ry + b.ry);
}
