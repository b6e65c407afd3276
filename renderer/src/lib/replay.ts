/**
 * Re-simulates a stored episode in the browser from (game, mode, level seed,
 * actions): the 64x64 observations the agent saw, the rewards, and whether
 * they equal the stored ones. Large frames are rendered on demand from game
 * checkpoints every few steps, so a long episode never holds hundreds of
 * large frames in memory.
 */
import type { Mode, ProcgenGame } from '@shared/procgen/engine/game.ts';
import type { GameName } from '@shared/procgen/games/index.ts';
import type { FrameRenderer } from '@shared/procgen/render/frame-renderer.ts';
import { OBSERVATION_BYTES as OBS_BYTES, resimulateEpisode, type RewardCheck } from '@shared/procgen/resimulate.ts';

export type { RewardCheck };

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
    const { observations, rewards, check } = resimulateEpisode(game, mode, levelSeed, actions, storedRewards, (t, sim) => {
      if (t % checkpointEvery === 0) this.checkpoints.push(sim.clone());
    });
    this.length = actions.length;
    this.observations = observations;
    this.rewards = rewards;
    this.check = check;
    this.cumulative = new Float32Array(this.length);
    let total = 0;
    for (let t = 0; t < this.length; t++) this.cumulative[t] = total += rewards[t]!;
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

/**
 * RGB bytes to the RGBA a canvas ImageData holds, one 32-bit word per pixel (a third of the
 * time of byte writes into a clamped array: four 256x256 frames a replay step). Little-endian,
 * as every platform Chromium runs on: the word's low byte is red. `outPixel`: where in `out`
 * the first pixel goes (a row of a larger image).
 */
export function rgbToRgba(rgb: Uint8Array, offset: number, bytes: number, out: Uint8ClampedArray, outPixel = 0): void {
  const words = new Uint32Array(out.buffer, out.byteOffset, out.byteLength >>> 2);
  for (let i = offset, end = offset + bytes, o = outPixel; i < end; i += 3, o++) words[o] = 0xff000000 | (rgb[i + 2]! << 16) | (rgb[i + 1]! << 8) | rgb[i]!;
}
