/**
 * The coreset controls of a run that distils: real frames with the synthetic set's
 * size and per-action allocation, chosen without learning pixels, each a method of
 * its own (students, evaluation, results). They answer whether gradient matching
 * beats simply picking that many real frames, and (`-soft`) whether a gain comes from
 * the expert's soft labels rather than from the pixels.
 */
import { NUM_ACTIONS } from '@shared/procgen/engine/actions.ts';
import type { CoresetControl } from '@shared/config/methods.ts';
import type { ExperimentConfig } from '@shared/config/experiment.ts';
import type { TrainableNet } from '../learning/nets/trainable.ts';
import type { Random } from '../learning/random.ts';
import { indexesByAction, kCenterGreedy, randomCoreset, sampleWithoutReplacement } from '../learning/train/coreset.ts';
import { subset, type EpisodeDataset } from '../learning/train/data.ts';
import { allocateSynthetic } from '../learning/train/distill.ts';
import { policyFeatures, policyProbabilities } from '../learning/train/policy.ts';
import type { MethodData } from '../storage/methods.ts';

/** K-center searches at most this many frames per action (a forward pass each), drawn at random. */
const KCENTER_CANDIDATES = 1000;

/** Picks and labels every control in `controls`; deterministic given `randomFor`. */
export async function selectCoresetControls(
  data: EpisodeDataset,
  expert: TrainableNet,
  distill: Pick<ExperimentConfig['distill'], 'size' | 'allocation' | 'controls'>,
  randomFor: (label: string) => Random,
): Promise<MethodData[]> {
  if (distill.controls.length === 0) return [];
  const byAction = indexesByAction(data.actions, NUM_ACTIONS);
  const allocation = allocateSynthetic(
    byAction.map((ix) => ix.length),
    distill.size,
    distill.allocation,
  );
  const picks = new Map<'random' | 'kcenter', Int32Array>();
  const needs = (kind: 'random' | 'kcenter') => distill.controls.some((c) => c.startsWith(kind));
  if (needs('random')) picks.set('random', randomCoreset(byAction, allocation, randomFor('controls/random')));
  if (needs('kcenter')) picks.set('kcenter', await kCenterCoreset(data, expert, byAction, allocation, randomFor('controls/kcenter')));
  const controls: MethodData[] = [];
  for (const method of distill.controls) {
    const stepIndices = picks.get(method.startsWith('random') ? 'random' : 'kcenter')!;
    const soft = method.endsWith('-soft');
    controls.push({
      method,
      kind: 'coreset',
      episodes: new Set(Array.from(stepIndices, (i) => data.episodeIds[i]!)).size,
      samples: stepIndices.length,
      stepIndices,
      targets: soft ? await policyProbabilities(expert, subset(data, stepIndices)) : null,
    });
  }
  return controls;
}

/** Greedy k-center within each action in the expert's penultimate-layer features. */
async function kCenterCoreset(
  data: EpisodeDataset,
  expert: TrainableNet,
  byAction: readonly Int32Array[],
  allocation: readonly number[],
  random: Random,
): Promise<Int32Array> {
  const candidates = byAction.map((pool) => sampleWithoutReplacement(pool, Math.min(pool.length, KCENTER_CANDIDATES), random));
  const all = Int32Array.from(candidates.flatMap((c) => Array.from(c)));
  const features = await policyFeatures(expert, data, all);
  const picks: number[] = [];
  let offset = 0;
  candidates.forEach((pool, action) => {
    // Positions of this action's candidates in `features`.
    const local = Int32Array.from({ length: pool.length }, (_, j) => offset + j);
    for (const j of kCenterGreedy(features.values, features.dim, local, allocation[action]!)) picks.push(all[j]!);
    offset += pool.length;
  });
  return Int32Array.from(picks);
}

/** How a control chose and labelled its frames, for the results' "data used". */
export function describeControl(method: CoresetControl): string {
  const how = method.startsWith('random') ? 'random real frames per action' : 'k-center real frames per action (expert features)';
  return method.endsWith('-soft') ? `${how}, expert soft labels` : how;
}
