/**
 * Stage 5, students: K independently initialised students per method (BC on
 * each baseline's transitions, on the synthetic set, on each coreset control's
 * frames), trained with the learning core's behavioural cloning. Each finished
 * student is stored with the checkpoint and its loss curve (bucket means, at most
 * 200 points) in one transaction; a resumed stage skips stored students.
 */
import { loadDataset } from '../../storage/datasets.ts';
import { appendMetrics } from '../../storage/metrics.ts';
import { listMethodData } from '../../storage/methods.ts';
import { findModel, saveModel } from '../../storage/models.ts';
import { getRun } from '../../storage/runs.ts';
import { loadSyntheticSnapshot } from '../../storage/synthetic.ts';
import { DEFAULT_CHANNELS } from '../../learning/nets/create.ts';
import { disposeTrainable, weightsOf } from '../../learning/nets/trainable.ts';
import { trainBc } from '../../learning/train/bc.ts';
import { subset, type EpisodeDataset, type LabelledSet } from '../../learning/train/data.ts';
import { architectureOf, bcLossOf, episodeDatasetOf, syntheticSetOf } from '../training-data.ts';
import { seedFor, type StageContext, type StageDefinition } from '../stage-context.ts';
import { studentLearningRate } from '@shared/config/experiment.ts';
import { SYNTHETIC_SOFT_METHOD } from '@shared/config/methods.ts';

/** Points of a stored student loss curve at most: each the mean loss of its bucket of steps. */
const CURVE_POINTS = 200;

/** The loss curve of one student, `students/<method>/loss/<member>`. */
export const studentLossSeries = (method: string, member: number): string => `students/${method}/loss/${member}`;

/** A training loss per step as at most CURVE_POINTS bucket means, each at its bucket's last step (1-based). */
export function lossCurve(losses: Float32Array): { step: number; value: number }[] {
  const bucket = Math.ceil(losses.length / CURVE_POINTS);
  const points: { step: number; value: number }[] = [];
  for (let start = 0; start < losses.length; start += bucket) {
    const end = Math.min(start + bucket, losses.length);
    let sum = 0;
    for (let i = start; i < end; i++) sum += losses[i]!;
    points.push({ step: end, value: sum / (end - start) });
  }
  return points;
}

/** The methods whose students this run trains, in table order, and where their data comes from. */
function studentMethods(ctx: StageContext): { method: string; data: () => LabelledSet }[] {
  const methods = listMethodData(ctx.db, ctx.runId).filter((m) => m.kind !== 'expert');
  let dataset: EpisodeDataset | undefined;
  const full = (): EpisodeDataset => {
    const datasetId = getRun(ctx.db, ctx.runId).datasetId;
    if (datasetId === null) throw new Error(`Run ${ctx.runId} has no dataset: its collect stage has not finished.`);
    return (dataset ??= episodeDatasetOf(loadDataset(ctx.db, datasetId)));
  };
  return methods.map((m) => ({
    method: m.method,
    data: (): LabelledSet => {
      if (m.kind === 'synthetic') {
        const snapshot = loadSyntheticSnapshot(ctx.db, ctx.runId);
        if (!snapshot) throw new Error(`Run ${ctx.runId} has no synthetic set: its distill stage has not finished.`);
        return syntheticSetOf(snapshot, m.method === SYNTHETIC_SOFT_METHOD);
      }
      const data = full();
      const chosen = m.stepIndices!.length === data.count ? data : subset(data, m.stepIndices!);
      // A coreset control may carry its own labels (the expert's soft labels).
      return m.targets ? { ...chosen, targets: m.targets } : chosen;
    },
  }));
}

export const studentsStage: StageDefinition = {
  name: 'students',
  async run(ctx) {
    const { count, bc, network, channels } = ctx.config.students;
    const learningRate = studentLearningRate(ctx.config.students);
    ctx.log(
      `${count} students per method: ${network === 'impala' ? 'IMPALA' : "the paper's small CNN"} [${(channels ?? DEFAULT_CHANNELS[network]).join(', ')}], ` +
        `${bc.steps} Adam steps of ${bc.batchSize} at ${learningRate}${bc.learningRate === null ? " (the network's own rate)" : ''}, ${bc.loss} loss`,
    );
    const methods = studentMethods(ctx);
    const total = methods.length * count;
    let trained = 0;
    for (const { method, data } of methods) {
      let set: LabelledSet | undefined;
      for (let member = 0; member < count; member++) {
        const key = { role: 'student', method, member } as const;
        if (findModel(ctx.db, ctx.runId, key)) {
          trained++;
          continue;
        }
        set ??= data();
        const at = trained;
        const { net, losses } = await trainBc(
          set,
          {
            network: { kind: network, channels: channels ?? undefined },
            init: 'pytorch',
            loss: bcLossOf(bc.loss),
            learningRate,
            batchSize: bc.batchSize,
            steps: bc.steps,
            seed: seedFor(ctx.config.seed, `student/${method}/${member}`),
            progressEvery: Math.max(1, Math.floor(bc.steps / 20)),
          },
          {
            signal: ctx.signal,
            onProgress: (p) => {
              ctx.throwIfCancelled();
              ctx.progress(at + p.step / p.totalSteps, total, `${method} student ${member + 1}/${count}, loss ${p.loss.toFixed(4)}`);
            },
          },
        );
        const weights = await weightsOf(net);
        const architecture = architectureOf(net.def);
        disposeTrainable(net);
        trained++;
        ctx.saveProgress((db) => {
          saveModel(db, ctx.runId, key, architecture, weights);
          appendMetrics(db, ctx.runId, [
            { series: `students/${method}/final-loss`, step: member, value: losses[losses.length - 1]! },
            ...lossCurve(losses).map(({ step, value }) => ({ series: studentLossSeries(method, member), step, value })),
          ]);
          // In the same transaction: a killed stage logs each stored student exactly once.
          ctx.log(`${method} student ${member + 1}/${count}: ${bc.steps} steps, final loss ${losses[losses.length - 1]!.toFixed(4)}`);
          return { trained };
        });
      }
    }
    return () => {};
  },
};
