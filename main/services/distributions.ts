/**
 * A run's distributions: the action imbalance the paper names as its weak point, seen in
 * the dataset, the synthetic set and each method's students, and the returns behind the
 * percentile-BC cuts. Reads every evaluation episode's actions, so it runs in the call pool.
 */
import type { ParsedCallInput } from '@shared/api/contract.ts';
import type { Distributions } from '@shared/api/inspect.ts';
import { NUM_ACTIONS } from '@shared/procgen/engine/actions.ts';
import { evalActionCounts } from '../storage/browse.ts';
import { listDatasetEpisodes, locateTransitions } from '../storage/datasets.ts';
import { evalReturns } from '../storage/evaluations.ts';
import { listMethodData } from '../storage/methods.ts';
import { getRun } from '../storage/runs.ts';
import { loadSyntheticSnapshot } from '../storage/synthetic.ts';
import type { ServiceContext } from './context.ts';
import { found } from './runs.ts';

/** Per action, the sum of each sample's distribution (the expected label count). */
function labelSums(values: Float32Array | null, samples: number): number[] | null {
  if (!values) return null;
  const sums = new Array<number>(NUM_ACTIONS).fill(0);
  const width = values.length / samples;
  for (let i = 0; i < samples; i++) for (let a = 0; a < width; a++) sums[a]! += values[i * width + a]!;
  return sums;
}

export async function distributionsCall(input: ParsedCallInput<'runs.distributions'>, ctx: ServiceContext): Promise<Distributions> {
  const db = ctx.db.connection;
  const run = found(() => getRun(db, input.runId));
  const episodes = run.datasetId === null ? [] : listDatasetEpisodes(db, run.datasetId);
  const datasetActions = run.datasetId === null ? null : new Array<number>(NUM_ACTIONS).fill(0);
  for (const e of episodes) for (const a of e.actions) datasetActions![a]!++;
  // A BC method's step indices name the dataset episodes it keeps.
  const percentileCuts = listMethodData(db, run.id)
    .filter((m) => m.kind === 'bc' && m.stepIndices && episodes.length > 0)
    .map((m) => ({
      percentile: Number(m.method.replace(/^bc-/, '')),
      episodes: [...new Set(locateTransitions(episodes, m.stepIndices!).map((t) => t.episode))].sort((a, b) => a - b),
    }));
  const snapshot = loadSyntheticSnapshot(db, run.id);
  const synthetic = snapshot
    ? {
        hard: Array.from({ length: NUM_ACTIONS }, (_, a) => snapshot.labels.filter((l) => l === a).length),
        soft: labelSums(snapshot.softLabels, snapshot.labels.length),
        learned: labelSums(snapshot.learnedLabels, snapshot.labels.length),
      }
    : null;
  const returns = evalReturns(db, run.id);
  const evaluation = evalActionCounts(db, run.id, NUM_ACTIONS).map(({ method, split, counts }) => ({
    method,
    split,
    actions: counts,
    returns: returns.filter((r) => r.method === method && r.split === split).flatMap((r) => r.returns),
  }));
  return {
    runId: run.id,
    datasetActions,
    datasetReturns: episodes.map((e) => ({ idx: e.idx, return: e.return, length: e.length })),
    percentileCuts,
    synthetic,
    evaluation,
  };
}
