/**
 * Stage 4, distillation (the learning core's methods: paper, dc, dsa or dm,
 * `distill.variant`; with distill.learnLabels the labels are learned too). The initial set (real samples, iteration 0) and then every
 * `distill.snapshotEvery` iterations the synthetic set is stored as a snapshot (viewable frames; the newest also keeps its float
 * pixels) together with the checkpoint, so the set's evolution can be replayed
 * and a resumed run continues from the last snapshot. Only a resume restarts
 * the pixels' SGD momentum. With distill.softLabels, each snapshot also stores
 * the expert's action distribution on its samples (the 'synthetic-soft' method).
 * Then the coreset controls (`distill.controls`) pick real frames with the same size
 * and per-action allocation, stored as methods of their own.
 */
import { appendMetrics } from '../../storage/metrics.ts';
import { saveMethodData, type MethodData } from '../../storage/methods.ts';
import { loadDataset } from '../../storage/datasets.ts';
import { getRun } from '../../storage/runs.ts';
import { dropSnapshotPixels, loadSyntheticSnapshot, saveSyntheticSnapshot } from '../../storage/synthetic.ts';
import { disposeTrainable } from '../../learning/nets/trainable.ts';
import { distill, type DistillConfig, type SyntheticSet } from '../../learning/train/distill.ts';
import { policyProbabilities } from '../../learning/train/policy.ts';
import type { LabelledSet } from '../../learning/train/data.ts';
import { bcLossOf, episodeDatasetOf, loadExpert, syntheticSetOf } from '../training-data.ts';
import { seedFor, type StageDefinition } from '../stage-context.ts';
import { selectCoresetControls } from '../coreset-controls.ts';
import { SYNTHETIC_METHOD, SYNTHETIC_SOFT_METHOD } from '@shared/config/methods.ts';

interface DistillCheckpoint {
  /** Iterations done; the newest snapshot holds the set after them. */
  readonly iteration: number;
}

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
    const base: Partial<DistillConfig> = {
      variant: options.variant,
      syntheticSize: options.size,
      allocation: options.allocation,
      realBatch: options.realBatch,
      loss: bcLossOf(options.loss),
      pixels: options.pixels,
      pixelLearningRate: options.learningRate,
      pixelMomentum: options.momentum,
      learnLabels: options.learnLabels,
      augment: options.augment,
      innerSteps: options.innerSteps,
      mtt: options.mtt,
      progressEvery: 1,
    };
    const start = done;
    /** Stores the set after `iteration` iterations and the distances since the last store. */
    const store = async (iteration: number, synthetic: SyntheticSet, distances: Float32Array, stored: number): Promise<void> => {
      const labels = Uint8Array.from(synthetic.actions);
      const softLabels = options.softLabels ? await policyProbabilities(expert, synthetic) : null;
      ctx.saveProgress((db): DistillCheckpoint => {
        dropSnapshotPixels(db, ctx.runId);
        const loss = iteration > start ? distances[iteration - start - 1]! : null;
        saveSyntheticSnapshot(db, ctx.runId, iteration, loss, labels, synthetic.obs, true, {
          soft: softLabels,
          learned: synthetic.targets ?? null,
          origins: synthetic.origins ?? null,
        });
        appendMetrics(
          db,
          ctx.runId,
          Array.from(distances.subarray(stored - start, iteration - start), (value, i) => ({ series: 'distill/distance', step: stored + i + 1, value })),
        );
        return { iteration };
      });
      ctx.log(
        `snapshot at iteration ${iteration}/${options.iterations}${iteration > start ? `: matching distance ${distances[iteration - start - 1]!.toPrecision(4)}` : ''}`,
      );
    };
    let stored = start;
    let controls: MethodData[] = [];
    try {
      // A crash after the last snapshot but before the stage was marked done leaves nothing to run.
      if (start < options.iterations) {
        const result = await distill(
          data,
          { ...base, iterations: options.iterations - start, seed: seedFor(seed, `distill/${start}`) },
          {
            signal: ctx.signal,
            snapshotEvery: options.snapshotEvery,
            onSnapshot: async (iteration, synthetic, distances) => {
              await store(start + iteration, synthetic, distances, stored);
              stored = start + iteration;
            },
            onProgress: (p) => {
              ctx.throwIfCancelled();
              ctx.progress(start + p.step, options.iterations, `matching distance ${p.loss.toPrecision(4)}`);
            },
          },
          expert,
          current,
        );
        await store(options.iterations, result.synthetic, result.distances, stored);
        current = result.synthetic;
        if (start === 0 && result.skippedActions.length > 0) {
          appendMetrics(ctx.db, ctx.runId, [{ series: 'distill/skipped-actions', step: 0, value: result.skippedActions.length }]);
        }
      }
      // Chosen after distilling (deterministic, so a resumed stage picks the same frames).
      ctx.progress(options.iterations, options.iterations, `choosing coreset controls: ${options.controls.join(', ') || 'none'}`);
      controls = await selectCoresetControls(data, expert, options, (label) => ctx.random(label));
      if (controls.length > 0)
        ctx.log(`coreset controls chosen (${current!.count} frames each, the synthetic set's allocation): ${controls.map((c) => c.method).join(', ')}`);
    } finally {
      disposeTrainable(expert);
    }
    const size = current!.count;
    return (db) => {
      saveMethodData(db, ctx.runId, { method: SYNTHETIC_METHOD, kind: 'synthetic', episodes: 0, samples: size, stepIndices: null });
      if (options.softLabels)
        saveMethodData(db, ctx.runId, { method: SYNTHETIC_SOFT_METHOD, kind: 'synthetic', episodes: 0, samples: size, stepIndices: null });
      for (const control of controls) saveMethodData(db, ctx.runId, control);
    };
  },
};
