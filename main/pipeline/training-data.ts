/** Stored data and models in the shapes the learning core trains on. */
import type { BcLoss, ImitationLoss } from '../learning/losses.ts';
import type { ExperimentConfig } from '@shared/config/experiment.ts';
import type { NetworkDef } from '../learning/nets/network.ts';
import { trainableFromWeights, type TrainableNet } from '../learning/nets/trainable.ts';
import type { EpisodeDataset, LabelledSet } from '../learning/train/data.ts';
import type { LoadedDataset } from '../storage/datasets.ts';
import { findModel } from '../storage/models.ts';
import type { SyntheticSnapshot } from '../storage/synthetic.ts';
import type { Database } from 'better-sqlite3';

/**
 * Every transition of a stored dataset, labelled with its episode and that episode's return.
 * With `searchTargets` (expert imitation), the planner's stored search targets are the labels;
 * students always learn the actions taken, as in the paper.
 */
export function episodeDatasetOf(loaded: LoadedDataset, searchTargets = false): EpisodeDataset {
  const count = loaded.actions.length;
  const episodeIds = new Int32Array(count);
  const episodeReturns = new Float32Array(count);
  for (let e = 0; e < loaded.info.episodes; e++) {
    episodeIds.fill(e, loaded.episodeStarts[e]!, loaded.episodeStarts[e + 1]!);
    episodeReturns.fill(loaded.returns[e]!, loaded.episodeStarts[e]!, loaded.episodeStarts[e + 1]!);
  }
  const labelled = { count, obs: loaded.observations, actions: Int32Array.from(loaded.actions), episodeIds, episodeReturns };
  if (!searchTargets) return labelled;
  if (!loaded.targets) throw new Error(`Dataset ${loaded.info.id} has no search targets: only planner demonstrations stored by this version have them.`);
  return { ...labelled, targets: loaded.targets };
}

/**
 * The final synthetic set (float pixels, never clamped) as a labelled set. Its targets:
 * with `soft`, the expert's soft labels stored with it; else its learned labels where the
 * run learned them (the actions otherwise).
 */
export function syntheticSetOf(snapshot: SyntheticSnapshot, soft = false): LabelledSet {
  if (!snapshot.pixels) throw new Error(`Synthetic snapshot ${snapshot.iteration} keeps no float pixels: only the final set can train students.`);
  const set = { count: snapshot.labels.length, obs: snapshot.pixels, actions: Int32Array.from(snapshot.labels) };
  if (!soft) return snapshot.learnedLabels ? { ...set, targets: snapshot.learnedLabels } : set;
  if (!snapshot.softLabels) throw new Error(`Synthetic snapshot ${snapshot.iteration} has no soft labels: the run did not distil with distill.softLabels.`);
  return { ...set, targets: snapshot.softLabels };
}

/** The config's loss names are spelled out; the learning core's are short. */
export function bcLossOf(loss: 'mse' | 'mae' | 'cross-entropy'): BcLoss {
  return loss === 'cross-entropy' ? 'ce' : loss;
}

/** The loss the expert network imitates the planner's search targets with. */
export function imitationLossOf(expert: ExperimentConfig['expert']): ImitationLoss {
  const { loss, advantageTemperature } = expert.imitation;
  return loss === 'advantage' ? { kind: 'advantage', targetTemperature: expert.planner.targetTemperature, temperature: advantageTemperature } : 'ce';
}

/** How a model's architecture is recorded next to its weights, e.g. `impala[8,16,16]`. */
export function architectureOf(def: NetworkDef): string {
  return `${def.kind}[${def.channels.join(',')}]`;
}

/** The expert network of a run; a clear error when the run has none. */
export function loadExpert(db: Database, runId: number): TrainableNet {
  const stored = findModel(db, runId, { role: 'expert', method: 'expert', member: 0 });
  if (!stored) throw new Error(`Run ${runId} has no expert network yet: its expert stage has not finished.`);
  return trainableFromWeights(stored.weights);
}
