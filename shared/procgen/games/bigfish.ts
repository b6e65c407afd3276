import type { Entity } from '../engine/entity.ts';
import { f32 } from '../engine/float32.ts';
import { ProcgenGame } from '../engine/game.ts';

/** Entity type of the other fish. */
export const FISH = 2;
const FISH_MIN_R = f32(0.25);
const FISH_MAX_R = f32(2);
/** Fish to eat to finish the level. */
export const FISH_QUOTA = 30;
const COMPLETION_BONUS = 10;
const FISH_REWARD = 1;
/** Width / height of the three fish sprites (fishTile_074, _078, _080); `ry = r / ratio`. */
export const FISH_ASPECT_RATIOS: readonly number[] = [f32(78 / 46), f32(112 / 88), f32(108 / 58)];
const WATER_BACKGROUNDS = 7;

/**
 * BigFish (procgen/src/games/bigfish.cpp): eat fish no wider than you to grow;
 * touching a wider fish ends the episode; 30 fish give the +10 bonus.
 */
export class BigFish extends ProcgenGame {
  readonly name = 'bigfish';
  readonly timeout = 6000;
  readonly backgroundCount = WATER_BACKGROUNDS;
  /** Fish eaten this level. */
  fishEaten = 0;
  /** Agent growth per fish eaten. */
  rInc = 0;
  /** The four rand01() draws of one fish spawn. */
  private readonly draws = new Float32Array(4);

  protected chooseWorldDim(): void {
    this.mainWidth = 20;
    this.mainHeight = 20;
  }

  protected gameReset(): void {
    this.centerAgent = false;
    this.visibility = 20;
    this.fishEaten = 0;
    const startR = this.mode === 'easy' ? 1 : f32(0.5);
    this.rInc = f32((FISH_MAX_R - startR) / FISH_QUOTA);
    const agent = this.agent;
    agent.rx = startR;
    agent.ry = startR;
    agent.y = f32(1 + agent.ry);
  }

  protected handleAgentCollision(fish: Entity): void {
    if (fish.type !== FISH) return;
    const agent = this.agent;
    if (fish.rx > agent.rx) {
      this.done = true;
      return;
    }
    this.reward += FISH_REWARD;
    fish.willErase = true;
    agent.rx = f32(agent.rx + this.rInc);
    agent.ry = f32(agent.ry + this.rInc);
    this.fishEaten += 1;
  }

  protected gameStep(): void {
    if (this.rng.randn(10) === 1) this.spawnFish();
    if (this.fishEaten >= FISH_QUOTA) {
      this.done = true;
      this.reward += COMPLETION_BONUS;
      this.levelComplete = true;
    }
    if (this.actionVx > 0) this.agent.isReflected = false;
    if (this.actionVx < 0) this.agent.isReflected = true;
  }

  /** A fish of random size enters at a side edge. */
  private spawnFish(): void {
    const rng = this.rng;
    const u = this.draws;
    rng.fillRand01(u, 4);
    // pow() of a float in C++ is a double; the sum is rounded once on store.
    const r = f32((FISH_MAX_R - FISH_MIN_R) * Math.pow(u[0]!, 1.4) + FISH_MIN_R);
    const y = f32(u[1]! * f32(this.mainHeight - f32(2 * r)));
    const movesRight = u[2]! < 0.5;
    const speed = 0.15 + u[3]! * 0.25;
    const fish = this.addEntity(FISH);
    fish.x = movesRight ? f32(-r) : f32(this.mainWidth + r);
    fish.y = y;
    fish.vx = f32(movesRight ? speed : -speed);
    fish.rx = r;
    fish.imageTheme = rng.randn(FISH_ASPECT_RATIOS.length);
    fish.ry = f32(r / FISH_ASPECT_RATIOS[fish.imageTheme]!);
    fish.isReflected = !movesRight;
  }

  protected copyGameFieldsFrom(other: this): void {
    this.fishEaten = other.fishEaten;
    this.rInc = other.rInc;
  }
}
