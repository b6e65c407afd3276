/**
 * Learning jobs as plain, cloneable messages, so a trainer can run in a worker thread
 * (main/workers/learn-worker.ts) and hand back bytes, not tensors. `runJob` is the one
 * place that maps a job to its trainer; the worker only transports it.
 */
import type { GameName } from '@shared/procgen/games/index.ts';
import { createNetwork } from './nets/create.ts';
import { disposeTrainable, trainableFromWeights, weightsOf } from './nets/trainable.ts';
import { trainBc, type BcConfig } from './train/bc.ts';
import type { RunControl } from './train/control.ts';
import type { LabelledSet } from './train/data.ts';
import { distill, type DistillConfig } from './train/distill.ts';
import { evaluatePolicy, type EvalSettings, type EvaluatedEpisode } from './train/evaluate.ts';
import { trainPpo, type PpoConfig } from './train/ppo.ts';

export type LearnJob =
  | { readonly kind: 'bc'; readonly data: LabelledSet; readonly config: Partial<BcConfig> }
  | { readonly kind: 'distill'; readonly data: LabelledSet; readonly config: Partial<DistillConfig>; readonly expertWeights?: Uint8Array }
  | { readonly kind: 'ppo'; readonly config: Partial<PpoConfig> & { game: GameName }; readonly startWeights?: Uint8Array }
  | { readonly kind: 'evaluate'; readonly weights: Uint8Array; readonly config: EvalSettings };

export type LearnResult =
  | { readonly kind: 'bc'; readonly weights: Uint8Array; readonly losses: Float32Array }
  | {
      readonly kind: 'distill';
      readonly synthetic: LabelledSet;
      readonly allocation: readonly number[];
      readonly skippedActions: readonly number[];
      readonly distances: Float32Array;
    }
  | { readonly kind: 'ppo'; readonly weights: Uint8Array; readonly episodeReturns: readonly number[] }
  | { readonly kind: 'evaluate'; readonly episodes: EvaluatedEpisode[] };

/** Runs a job on the current backend; networks live only for the job's duration. */
export async function runJob(job: LearnJob, control: RunControl): Promise<LearnResult> {
  switch (job.kind) {
    case 'bc': {
      const { net, losses } = await trainBc(job.data, job.config, control);
      try {
        return { kind: 'bc', weights: await weightsOf(net), losses };
      } finally {
        disposeTrainable(net);
      }
    }
    case 'distill': {
      const expert = job.expertWeights ? trainableFromWeights(job.expertWeights) : undefined;
      try {
        const result = await distill(job.data, job.config, control, expert);
        return { kind: 'distill', ...result };
      } finally {
        if (expert) disposeTrainable(expert);
      }
    }
    case 'ppo': {
      const start = job.startWeights ? trainableFromWeights(job.startWeights, job.config.network ? createNetwork(job.config.network) : undefined) : undefined;
      const { net, episodeReturns } = await trainPpo(job.config, control, start);
      try {
        return { kind: 'ppo', weights: await weightsOf(net), episodeReturns };
      } finally {
        disposeTrainable(net);
      }
    }
    case 'evaluate': {
      const net = trainableFromWeights(job.weights);
      try {
        return { kind: 'evaluate', episodes: await evaluatePolicy(net, job.config, control) };
      } finally {
        disposeTrainable(net);
      }
    }
  }
}
