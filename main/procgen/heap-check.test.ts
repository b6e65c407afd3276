import { describe, expect, it } from 'vitest';
import { GAME_NAMES } from '../../shared/procgen/games/index.ts';
import { VecEnv } from '../../shared/procgen/vec/vec-env.ts';
import { measureHeap } from './heap-check.ts';

/** Steps `env` with a fixed pseudo-random action stream, `count` steps at a time (whole calls). */
function stepper(env: VecEnv): (count: number) => void {
  let x = 99;
  const actions = env.buffers.actions;
  return (count) => {
    for (let done = 0; done < count; done += actions.length) {
      for (let k = 0; k < actions.length; k++) {
        x = (Math.imul(1103515245, x) + 12345) & 0x7fffffff;
        actions[k] = (x >>> 16) % 15;
      }
      env.step();
    }
  };
}

describe('heap use while stepping with rendering', () => {
  it.each(GAME_NAMES)('%s: flat over 200,000 steps, with far less garbage per step than one frame', async (game) => {
    const env = new VecEnv({ game, mode: 'easy', numEnvs: 8 });
    const step = stepper(env);
    step(40_000);
    const report = await measureHeap(step, 200_000, 8_000);
    // Nothing retained: a leak of even 5 bytes per step would show as 1 MB.
    expect(report.retainedGrowthBytes).toBeLessThan(1_000_000);
    // A new 64x64 frame per step would be 12,288 bytes; what remains is per-level work (level generation) spread over its steps.
    expect(report.allocatedBytesPerStep).toBeLessThan(100);
  });

  it('detects garbage: a loop that allocates a small array per step fails the bound', async () => {
    // Stored where the optimiser cannot prove it dead, so each array is really allocated.
    const sink: Uint8Array[] = new Array(1024);
    let steps = 0;
    const report = await measureHeap(
      (count) => {
        for (let i = 0; i < count; i++) sink[steps++ & 1023] = new Uint8Array(64);
      },
      200_000,
      8_000,
    );
    expect(steps).toBe(200_000);
    expect(report.allocatedBytesPerStep).toBeGreaterThan(100);
  });
});
