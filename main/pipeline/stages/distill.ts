/**
 * Stage 4, distillation (the learning core's gradient matching, paper or dc
 * variant). It runs in chunks of `distill.snapshotEvery` iterations; after
 * each chunk the synthetic set is stored as a snapshot (viewable frames; the
 * newest also keeps its float pixels) together with the checkpoint, so the
 * set's evolution can be replayed and a resumed run continues from the last
 * snapshot. Each chunk restarts the pixels' SGD momentum (0.5 by default):
 * the only difference from one uninterrupted run.
 */
import { appendMetrics } from '../../storage/metrics.ts';
import { saveMethodData } from '../../storage/methods.ts';
import { loadDataset } from '../../storage/datasets.ts';
import { getRun } from '../../storage/runs.ts';
import { dropSnapshotPixels, loadSyntheticSnapshot, saveSyntheticSnapshot } from '../../storage/synthetic.ts';
import { disposeTrainable } from '../../learning/nets/trainable.ts';
import { distill, type DistillConfig } from '../../learning/train/distill.ts';
import type { LabelledSet } from '../../learning/train/data.ts';
import { bcLossOf, episodeDatasetOf, loadExpert, syntheticSetOf } from '../training-data.ts';
import { seedFor, type StageDefinition } from '../stage-context.ts';

interface DistillCheckpoint {
  /** Iterations done; the newest snapshot holds the set after them. */
  readonly iteration: number;
}

export const SYNTHETIC_METHOD = 'synthetic';

export const distillStage: StageDefinition = {
  name: 'distill',
  async run(ctx) {
    const { distill: options, seed } = ctx.config;
    const datasetId = getRun(ctx.db, ctx.runId).datasetId;
    if (datasetId === null) throw new Error(`Run ${ctx.runId} has no dataset: its collect stage has not finished.`);
    const data = episodeDatasetOf(loadDataset(ctx.db, datasetId));
    const expert = loadExpert(ctx.db, ctx.runId);
    const resumed = ctx.checkpoint as DistillCheckpoint | null;
    let done = 0;
    let current: LabelledSet | undefined;
    if (resumed && resumed.iteration > 0) {
      const snapshot = loadSyntheticSnapshot(ctx.db, ctx.runId, resumed.iteration);
      if (snapshot?.pixels) {
        done = resumed.iteration;
        current = syntheticSetOf(snapshot);
      }
    }
    const chunk = options.snapshotEvery > 0 ? options.snapshotEvery : options.iterations;
    const base: Partial<DistillConfig> = {
      variant: options.variant,
      syntheticSize: options.size,
      allocation: options.allocation,
      realBatch: options.realBatch,
      loss: bcLossOf(options.loss),
      pixelLearningRate: options.learningRate,
      pixelMomentum: options.momentum,
      innerSteps: options.innerSteps,
      progressEvery: 1,
    };
    try {
      while (done < options.iterations) {
        const iterations = Math.min(chunk, options.iterations - done);
        const start = done;
        const result = await distill(
          data,
          { ...base, iterations, seed: seedFor(seed, `distill/${start}`) },
          {
            signal: ctx.signal,
            onProgress: (p) => {
              ctx.throwIfCancelled();
              ctx.progress(start + p.step, options.iterations, `matching distance ${p.loss.toPrecision(4)}`);
            },
          },
          expert,
          current,
        );
        done += iterations;
        current = result.synthetic;
        const labels = Uint8Array.from(result.synthetic.actions);
        const last = result.distances[iterations - 1]!;
        ctx.saveProgress((db): DistillCheckpoint => {
          dropSnapshotPixels(db, ctx.runId);
          saveSyntheticSnapshot(db, ctx.runId, done, last, labels, result.synthetic.obs, true);
          appendMetrics(
            db,
            ctx.runId,
            Array.from(result.distances, (value, i) => ({ series: 'distill/distance', step: start + i + 1, value })),
          );
          if (start === 0 && result.skippedActions.length > 0) {
            appendMetrics(db, ctx.runId, [{ series: 'distill/skipped-actions', step: 0, value: result.skippedActions.length }]);
          }
          return { iteration: done };
        });
      }
    } finally {
      disposeTrainable(expert);
    }
    const size = current!.count;
    return (db) => saveMethodData(db, ctx.runId, { method: SYNTHETIC_METHOD, kind: 'synthetic', episodes: 0, samples: size, stepIndices: null });
  },
};
