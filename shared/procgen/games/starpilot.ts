import type { Entity } from '../engine/entity.ts';
import { EntityList } from '../engine/entity-list.ts';
import { f32, fmaf } from '../engine/float32.ts';
import { ProcgenGame } from '../engine/game.ts';
import { EXPLOSION, PLAYER } from '../engine/objects.ts';
import { stdSort } from '../engine/std-sort.ts';

const PI = f32(Math.PI);
const HALF_PI = f32(PI / 2);

/** Entity types (starpilot.cpp). */
export const BULLET_PLAYER = 1;
export const BULLET2 = 2;
export const BULLET3 = 3;
export const FLYER = 4;
export const METEOR = 5;
export const CLOUD = 6;
export const TURRET = 7;
export const FAST_FLYER = 8;
export const FINISH_LINE = 9;
const NUM_BASIC_OBJECTS = 9;

/** Step at which the finish line appears; enemies spawn until then. */
export const SHOOTER_WIN_TIME = 500;
export const NUM_SHIP_THEMES = 7;
const NUM_METEOR_THEMES = 8;
const NUM_CLOUD_THEMES = 9;
const V_SCALE = f32(2 / 5);
const ENEMY_REWARD = 1;
const COMPLETION_BONUS = 10;
const SPACE_BACKGROUNDS = 13;
/** Width / height of the four finish-line rockets (spaceRockets_001..004); `rx = ry * ratio`. */
export const FINISH_ASPECT_RATIOS: readonly number[] = [f32(122 / 374), f32(157 / 309), f32(118 / 315), f32(136 / 369)];
/** Width / height of both turret sprites (spaceStation_018, _019: 172x52). */
const TURRET_ASPECT_RATIO = f32(172 / 52);
const NUM_TURRET_THEMES = 2;
/** Background scroll in world units per step: Procgen shifts it `t * 4 px * hp_slow_v * 2 / char_dim` = 0.8 px = 0.2 units per step. */
export const BACKGROUND_SCROLL_PER_STEP = f32(0.2);

/** A flyer fires once, this many steps after it spawned: `randint(10, 100)`. */
const FIRST_FIRE_TIME = 10;
const LAST_FIRE_TIME = 99;

const spawnsLater = (a: Entity, b: Entity): boolean => a.spawnTime > b.spawnTime;

/**
 * StarPilot (procgen/src/games/starpilot.cpp): a side-scrolling shooter. Enemy
 * waves come from a schedule drawn at reset; each kill gives +1 and surviving
 * to the finish line (from step 500) gives +10.
 */
export class StarPilot extends ProcgenGame {
  readonly name = 'starpilot';
  readonly timeout = 1000;
  readonly backgroundCount = SPACE_BACKGROUNDS;
  /** Scheduled enemies not yet in the world, sorted so the next one is last. */
  readonly spawners = new EntityList(128);

  private readonly hpVs = new Float32Array(NUM_BASIC_OBJECTS);
  private readonly hpHealths = new Float32Array(NUM_BASIC_OBJECTS);
  private readonly hpBulletR = new Float32Array(NUM_BASIC_OBJECTS);
  private readonly hpObjectR = new Float32Array(NUM_BASIC_OBJECTS);
  private readonly hpWeights = new Float32Array(NUM_BASIC_OBJECTS);
  private totalWeight = 0;
  private readonly slowV = f32(0.5);
  private readonly maxGroupSize = 5;
  private readonly minEnemyDeltaT = 10;
  private readonly maxEnemyDeltaT = 30;
  private readonly spawnRightThreshold = f32(0.9);

  constructor(mode: 'easy' | 'hard') {
    super(mode);
    this.initHyperparameters();
  }

  /** `init_hps`: speeds, healths, radii and spawn weights per entity type for the mode. */
  private initHyperparameters(): void {
    const easy = this.mode === 'easy';
    this.hpVs.fill(1);
    this.hpHealths.fill(0);
    this.hpWeights.fill(1);
    this.hpObjectR.fill(f32(0.5));
    this.hpBulletR.fill(f32(1 / 2.5));
    if (easy) {
      this.hpWeights[METEOR] = 0;
      this.hpWeights[CLOUD] = 0;
      this.hpWeights[TURRET] = 0;
      this.hpWeights[FAST_FLYER] = 0;
      this.hpVs[FLYER] = f32(0.75);
      this.hpVs[BULLET2] = f32(1.25);
    } else {
      this.hpVs[BULLET2] = 2;
    }
    this.hpHealths[TURRET] = 5;
    this.hpHealths[FLYER] = 2;
    this.hpHealths[FAST_FLYER] = 1;
    this.maxspeed = f32(0.75);
    this.hpHealths[METEOR] = 500;
    this.hpVs[FAST_FLYER] = f32(1.5);
    this.hpVs[BULLET_PLAYER] = 2;
    this.hpVs[BULLET3] = 2;
    this.hpObjectR[TURRET] = 2;
    this.hpObjectR[METEOR] = 2;
    this.hpObjectR[CLOUD] = 2;
    this.hpWeights[FLYER] = 3;
    this.hpWeights[BULLET_PLAYER] = 0;
    this.hpWeights[BULLET2] = 0;
    this.hpWeights[BULLET3] = 0;
    let total = 0;
    for (let i = 2; i < NUM_BASIC_OBJECTS; i++) total = f32(total + this.hpWeights[i]!);
    this.totalWeight = total;
  }

  protected chooseWorldDim(): void {
    this.mainWidth = 16;
    this.mainHeight = 16;
  }

  protected gameReset(): void {
    this.centerAgent = false;
    this.visibility = 16;
    this.drawSchedule(1 + this.rng.randint(this.minEnemyDeltaT, this.maxEnemyDeltaT), SHOOTER_WIN_TIME);
    this.agent.rotation = HALF_PI;
    this.agent.imageTheme = this.rng.randn(1);
  }

  /**
   * The enemy schedule that the level's generator drew at reset, and when each enemy will
   * fire, are in the state but on no frame: a fair planner's futures draw them afresh (the
   * schedule from the next step on, and the firing time of every enemy on screen that has
   * not fired yet, after the time it has been seen not firing).
   */
  override redrawHidden(steps: number): void {
    const rng = this.rng;
    this.drawSchedule(this.curTime + 1 + rng.randint(0, this.maxEnemyDeltaT), Math.min(SHOOTER_WIN_TIME, this.curTime + steps));
    const list = this.entities;
    for (let i = 0; i < list.count; i++) {
      const m = list.items[i]!;
      if (!(m.type === FLYER || m.type === FAST_FLYER) || m.fireTime <= 0) continue;
      const seen = this.curTime - m.spawnTime;
      if (m.fireTime <= seen) continue;
      const earliest = Math.max(FIRST_FIRE_TIME, seen + 1);
      m.fireTime = earliest + rng.randint(0, LAST_FIRE_TIME + 1 - earliest);
    }
  }

  /**
   * `add_spawners` and the sort after it: the schedule becomes the enemy groups starting from
   * time `first` to `last`, drawn in Procgen's RNG order, the next to spawn last.
   */
  private drawSchedule(first: number, last: number): void {
    this.spawners.clear();
    const rng = this.rng;
    const canSpawnLeft = this.mode !== 'easy';
    const k = f32(f32(2 * PI) / 4);
    let t = first;
    while (t <= last) {
      let groupSize = 1;
      let weight = f32(rng.rand01() * this.totalWeight);
      let type: number;
      for (type = 2; type < NUM_BASIC_OBJECTS; type++) {
        weight = f32(weight - this.hpWeights[type]!);
        if (weight <= 0) break;
      }
      if (type >= NUM_BASIC_OBJECTS) type = NUM_BASIC_OBJECTS - 1;
      const r = this.hpObjectR[type]!;
      const isFlyer = type === FLYER || type === FAST_FLYER;
      let flyerTheme = 0;
      if (isFlyer) {
        groupSize = rng.randint(0, this.maxGroupSize) + 1;
        flyerTheme = rng.randn(NUM_SHIP_THEMES);
      }
      // `rand_pos(r, 0, H)`: a centre keeping the enemy inside the world (H > 2r for every type).
      const y = fmaf(f32(this.mainHeight - f32(2 * r)), rng.rand01(), r);
      for (let j = 0; j < groupSize; j++) {
        let fireTime = rng.randint(FIRST_FIRE_TIME, LAST_FIRE_TIME + 1);
        // (rand01() - .5) is a double expression in C++, rounded once on store.
        let theta = f32((rng.rand01() - 0.5) * k);
        let vScale = this.hpVs[type]!;
        if (rng.randint(0, 2) === 1) theta = 0;
        if (type === METEOR || type === CLOUD) {
          theta = 0;
          vScale = this.slowV;
          fireTime = -1;
        } else if (type === TURRET) {
          theta = 0;
          vScale = this.slowV;
          fireTime = rng.randint(20, 30);
        }
        vScale = f32(vScale * V_SCALE);
        let vx = f32(-Math.cos(theta) * vScale);
        const vy = f32(Math.sin(theta) * vScale);
        let spawnRight = true;
        if (isFlyer && rng.rand01() > this.spawnRightThreshold && canSpawnLeft) spawnRight = false;
        let x: number;
        if (spawnRight) {
          x = f32(this.mainWidth + r);
        } else {
          x = f32(-r);
          vx = f32(-vx);
        }
        const s = this.spawners.add();
        s.x = x;
        s.y = y;
        s.vx = vx;
        s.vy = vy;
        s.rx = r;
        s.ry = r;
        s.type = type;
        s.fireTime = fireTime;
        s.spawnTime = t + j * 5;
        s.health = this.hpHealths[type]!;
        s.expireTime = -1;
        if (type === CLOUD) {
          s.renderZ = 1;
          s.imageTheme = rng.randn(NUM_CLOUD_THEMES);
        } else if (type === METEOR) {
          s.imageTheme = rng.randn(NUM_METEOR_THEMES);
        } else if (isFlyer) {
          s.imageTheme = flyerTheme;
          s.rotation = f32((vx > 0 ? -PI : PI) / 2);
        } else if (type === TURRET) {
          s.imageTheme = rng.randn(NUM_TURRET_THEMES);
          s.ry = f32(s.rx / TURRET_ASPECT_RATIO);
        }
      }
      t += rng.randint(this.minEnemyDeltaT, this.maxEnemyDeltaT);
    }
    stdSort(this.spawners.items, this.spawners.count, spawnsLater);
  }

  private isLethal(type: number): boolean {
    return type === FLYER || type === FAST_FLYER || type === BULLET2 || type === BULLET3 || type === TURRET || type === METEOR;
  }

  private isDestructible(type: number): boolean {
    return type === FLYER || type === FAST_FLYER || type === TURRET || type === METEOR;
  }

  private shouldFire(e: Entity): boolean {
    if (e.fireTime <= 0) return false;
    if (e.type === TURRET) return (this.curTime - e.spawnTime) % e.fireTime === 0;
    return this.curTime - e.spawnTime === e.fireTime;
  }

  protected handleAgentCollision(e: Entity): void {
    if (e.type === FINISH_LINE) {
      this.done = true;
      this.reward += COMPLETION_BONUS;
      this.levelComplete = true;
    } else if (this.isLethal(e.type)) {
      this.done = true;
    }
  }

  protected override handleCollision(src: Entity, target: Entity): void {
    if (src.type === BULLET_PLAYER && target.type !== CLOUD && this.isDestructible(target.type)) {
      src.willErase = true;
      target.health = f32(target.health - 1);
      this.explode(src, target);
    }
  }

  protected gameStep(): void {
    const list = this.entities;
    for (let i = list.count - 1; i >= 0; i--) {
      const m = list.items[i]!;
      if (m.type === PLAYER) continue;
      if (this.shouldFire(m)) this.fireAtAgent(m);
      if (m.health <= 0 && this.isDestructible(m.type) && !m.willErase) {
        this.explode(m, m);
        this.reward += ENEMY_REWARD;
        m.willErase = true;
      }
    }

    const spawners = this.spawners;
    while (spawners.count > 0 && this.curTime === spawners.items[spawners.count - 1]!.spawnTime) {
      list.add().copyFrom(spawners.pop());
    }

    if (this.specialAction !== 0) this.firePlayerBullet();

    if (this.curTime === SHOOTER_WIN_TIME) {
      const finish = this.addEntity(FINISH_LINE);
      finish.vx = f32(-this.slowV * V_SCALE);
      finish.y = finish.ry = this.mainHeight / 2;
      finish.imageTheme = this.rng.randn(FINISH_ASPECT_RATIOS.length);
      finish.rx = f32(finish.ry * FINISH_ASPECT_RATIOS[finish.imageTheme]!);
      finish.x = f32(this.mainWidth + finish.rx);
    }
  }

  /** An explosion at `at`, half its size, moving with `mover`. */
  private explode(at: Entity, mover: Entity): void {
    const e = this.addEntity(EXPLOSION);
    e.x = at.x;
    e.y = at.y;
    e.vx = mover.vx;
    e.vy = mover.vy;
    e.rx = e.ry = f32(0.5 * at.rx);
  }

  /** An enemy bullet aimed at the agent's current position. */
  private fireAtAgent(m: Entity): void {
    const agent = this.agent;
    const bulletType = m.type === TURRET ? BULLET3 : BULLET2;
    const r = this.hpBulletR[m.type]!;
    let bvx = f32(agent.x - m.x);
    let bvy = f32(agent.y - m.y);
    const scale = f32(f32(this.hpVs[bulletType]! * V_SCALE) / Math.sqrt(fmaf(bvx, bvx, f32(bvy * bvy))));
    bvx = f32(bvx * scale);
    bvy = f32(bvy * scale);
    const bullet = this.addEntity(bulletType);
    bullet.x = m.x;
    bullet.y = m.y;
    bullet.vx = bvx;
    bullet.vy = bvy;
    bullet.rx = bullet.ry = r;
    faceDirection(bullet, -HALF_PI);
  }

  /** Action 10 ('A') fires left, every other special action fires right. */
  private firePlayerBullet(): void {
    const agent = this.agent;
    const theta = this.specialAction === 2 ? PI : 0;
    const vScale = f32(this.hpVs[BULLET_PLAYER]! * V_SCALE);
    const vx = f32(Math.cos(theta) * vScale);
    const vy = f32(Math.sin(theta) * vScale);
    const xOff = f32(agent.rx * Math.cos(theta));
    const r = this.hpBulletR[PLAYER]!;
    const bullet = this.addEntity(BULLET_PLAYER);
    bullet.x = f32(agent.x + xOff);
    bullet.y = agent.y;
    bullet.vx = vx;
    bullet.vy = vy;
    bullet.rx = bullet.ry = r;
    bullet.collidesWithEntities = true;
    faceDirection(bullet, 0);
    bullet.rotation = f32(bullet.rotation - HALF_PI);
  }

  protected copyGameFieldsFrom(other: this): void {
    this.spawners.copyFrom(other.spawners);
  }
}

/** `Entity::face_direction` along the entity's own velocity: rotate the sprite to point where it moves. */
function faceDirection(e: Entity, offset: number): void {
  if (e.vx !== 0 || e.vy !== 0) e.rotation = f32(-Math.atan2(e.vy, e.vx) + offset);
}
