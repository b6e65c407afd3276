/**
 * Re-simulates a stored episode in the browser from (game, mode, level seed,
 * actions): the 64x64 observations the agent saw, the rewards, and whether
 * they equal the stored ones. Large frames are rendered on demand from game
 * checkpoints every few steps, so a long episode never holds hundreds of
 * large frames in memory.
 */
import type { Mode, ProcgenGame } from '@shared/procgen/engine/game.ts';
import { createGame, type GameName } from '@shared/procgen/games/index.ts';
import { FrameRenderer, OBSERVATION_SIZE } from '@shared/procgen/render/frame-renderer.ts';

const OBS_BYTES = OBSERVATION_SIZE * OBSERVATION_SIZE * 3;

export interface RewardCheck {
  /** Steps whose re-simulated reward differs from the stored one. */
  readonly mismatches: number;
  /** The first such step, or -1. */
  readonly firstMismatch: number;
  /** The step at which the re-simulated episode ended (done), or -1 if it did not within the stored actions. */
  readonly endedAt: number;
  /** Every reward equal and the episode ended exactly at its last stored step. */
  readonly exact: boolean;
}

export class Replay {
  readonly length: number;
  /** length x 64 x 64 x 3: the observation before action t. */
  readonly observations: Uint8Array;
  readonly rewards: Float32Array;
  /** Return after step t (inclusive). */
  readonly cumulative: Float32Array;
  readonly check: RewardCheck;
  private readonly checkpoints: ProcgenGame[] = [];
  private readonly cursor: ProcgenGame;
  /** The step whose observation `cursor` holds. */
  private cursorStep = -1;

  constructor(
    readonly game: GameName,
    readonly mode: Mode,
    readonly levelSeed: number,
    readonly actions: Uint8Array,
    storedRewards: ArrayLike<number>,
    private readonly checkpointEvery = 16,
  ) {
    if (actions.length === 0) throw new RangeError('Cannot replay an episode with no steps.');
    const length = actions.length;
    this.length = length;
    this.observations = new Uint8Array(length * OBS_BYTES);
    this.rewards = new Float32Array(length);
    this.cumulative = new Float32Array(length);
    const sim = createGame(game, mode);
    sim.resetLevel(levelSeed);
    const renderer = new FrameRenderer(game, mode);
    let mismatches = 0;
    let firstMismatch = -1;
    let endedAt = -1;
    let total = 0;
    for (let t = 0; t < length; t++) {
      if (t % checkpointEvery === 0) this.checkpoints.push(sim.clone());
      renderer.render(sim, this.observations, t * OBS_BYTES);
      sim.step(actions[t]!);
      this.rewards[t] = sim.reward;
      total += sim.reward;
      this.cumulative[t] = total;
      if (Math.fround(sim.reward) !== Math.fround(storedRewards[t] ?? NaN)) {
        mismatches++;
        if (firstMismatch < 0) firstMismatch = t;
      }
      if (sim.done) {
        endedAt = t;
        // Steps after the end would play the next level: the stored episode ends here.
        if (t < length - 1) {
          mismatches += length - 1 - t;
          if (firstMismatch < 0) firstMismatch = t + 1;
        }
        break;
      }
    }
    this.check = { mismatches, firstMismatch, endedAt, exact: mismatches === 0 && endedAt === length - 1 };
    this.cursor = this.checkpoints[0]!.clone();
    this.cursorStep = 0;
  }

  /** Writes the 64x64 observation of step t into `out` (RGB, 4 bytes per pixel for ImageData). */
  observationRgba(t: number, out: Uint8ClampedArray): void {
    rgbToRgba(this.observations, t * OBS_BYTES, OBS_BYTES, out);
  }

  /** Renders step t at the renderer's size into `out` (RGB): from the nearest checkpoint, or one step on from the last call. */
  renderLarge(t: number, renderer: FrameRenderer, out: Uint8Array): void {
    const step = Math.max(0, Math.min(this.length - 1, t));
    if (step < this.cursorStep || step - this.cursorStep >= this.checkpointEvery) {
      const index = Math.floor(step / this.checkpointEvery);
      this.cursor.copyFrom(this.checkpoints[index]!);
      this.cursorStep = index * this.checkpointEvery;
    }
    while (this.cursorStep < step) this.cursor.step(this.actions[this.cursorStep++]!);
    renderer.render(this.cursor, out);
  }
}

/** RGB bytes to the RGBA a canvas ImageData holds. */
export function rgbToRgba(rgb: Uint8Array, offset: number, bytes: number, out: Uint8ClampedArray): void {
  for (let i = 0, o = 0; i < bytes; i += 3, o += 4) {
    out[o] = rgb[offset + i]!;
    out[o + 1] = rgb[offset + i + 1]!;
    out[o + 2] = rgb[offset + i + 2]!;
    out[o + 3] = 255;
  }
}
