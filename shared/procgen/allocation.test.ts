import { Session } from 'node:inspector/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ProcgenEnv } from './env.ts';
import { GAME_NAMES } from './games/index.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

interface ProfileNode {
  selfSize: number;
  children: ProfileNode[];
}

/** Bytes allocated (including objects already collected) while `body` runs, sampled every 64 bytes. */
async function allocatedBytes(body: () => void): Promise<number> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  const options = { samplingInterval: 64, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true };
  await session.post('HeapProfiler.startSampling', options);
  body();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: ProfileNode } };
  session.disconnect();
  const total = (node: ProfileNode): number => node.selfSize + node.children.reduce((sum, child) => sum + total(child), 0);
  return total(profile.head);
}

function randomActions(env: ProcgenEnv, steps: number, seed: number): void {
  let x = seed;
  for (let i = 0; i < steps; i++) {
    x = (Math.imul(1103515245, x) + 12345) & 0x7fffffff;
    env.step((x >>> 16) % 15);
  }
}

describe('allocation', () => {
  for (const game of GAME_NAMES) {
    it(`${game}: a step allocates nothing`, async () => {
      const env = new ProcgenEnv({ game, mode: 'easy', randSeed: 4 });
      const g = env.game;
      const steps = (n: number) => {
        for (let i = 0; i < n; i++) {
          g.step(i % 15);
          if (g.done) g.curTime = 0; // keep playing the same level: only the step path is measured
        }
      };
      steps(200_000);
      // On a loaded machine the optimising compiler may still be at work after the warm-up, and the
      // code running until it lands boxes numbers: a window that allocates is measured again (at most
      // three times). An allocation in the step itself shows in every window.
      let bytes = Infinity;
      for (let window = 0; window < 3 && bytes >= 100_000; window++) bytes = Math.min(bytes, await allocatedBytes(() => steps(200_000)));
      // The profiler's own bookkeeping is a few KB; a single boxed number per step would be 2.4 MB.
      expect(bytes).toBeLessThan(100_000);
    });

    it(`${game}: the heap stays flat over a million steps with auto-resets`, () => {
      const env = new ProcgenEnv({ game, mode: 'easy', randSeed: 5 });
      randomActions(env, 100_000, 1);
      collectGarbage();
      const before = process.memoryUsage().heapUsed;
      randomActions(env, 1_000_000, 2);
      collectGarbage();
      expect(process.memoryUsage().heapUsed - before).toBeLessThan(1_000_000);
    });
  }
});
