import { describe, expect, it } from 'vitest';
import { toyDataset } from './testing/toy-data.ts';
import { runInWorker } from './worker-client.ts';
import type { Progress } from './train/control.ts';

const network = { kind: 'student' as const, channels: [4, 8, 4, 3], actions: 4 };

describe('learning in a worker thread', () => {
  it('trains off the main thread, reporting progress and returning weights', async () => {
    const progress: Progress[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5); // the main thread stays responsive meanwhile
    const result = await runInWorker(
      { kind: 'bc', data: toyDataset(4, 4), config: { network, steps: 20, batchSize: 8, progressEvery: 5 } },
      { backend: 'wasm', onProgress: (p) => progress.push(p) },
    );
    clearInterval(timer);
    expect(result.kind).toBe('bc');
    if (result.kind === 'bc') expect(result.weights.length).toBeGreaterThan(1000);
    expect(progress.map((p) => p.step)).toEqual([5, 10, 15, 20]);
    expect(ticks).toBeGreaterThan(3);
  }, 60_000);

  it('cancels a running job between steps', async () => {
    const controller = new AbortController();
    const run = runInWorker(
      { kind: 'bc', data: toyDataset(4, 4), config: { network, steps: 100000, batchSize: 8, progressEvery: 1 } },
      { backend: 'wasm', signal: controller.signal, onProgress: (p) => p.step === 2 && controller.abort() },
    );
    await expect(run).rejects.toThrow(/cancelled after step/);
  }, 60_000);

  it('reports bad input from the worker as an error naming the value', async () => {
    await expect(runInWorker({ kind: 'bc', data: toyDataset(1, 4), config: { learningRate: -1 } }, { backend: 'wasm' })).rejects.toThrow(
      /learningRate = -1 is invalid/,
    );
    await expect(runInWorker({ kind: 'bc', data: toyDataset(1, 4), config: {} }, { backend: 'tpu' })).rejects.toThrow(/Unknown backend 'tpu'/);
  }, 60_000);
});
