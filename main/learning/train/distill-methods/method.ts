/** The one interface every distillation method implements (one module each, as the games are one rules file each). */
import type * as tf from '@tensorflow/tfjs-core';
import type { DistillVariant } from '@shared/config/methods.ts';
import type { TrainableNet } from '../../nets/trainable.ts';
import type { Random } from '../../random.ts';
import type { RunControl } from '../control.ts';
import type { LabelledSet } from '../data.ts';
import type { DistillConfig } from '../distill.ts';
import type { SyntheticGroup } from '../steps.ts';

/** What an iteration may read and move: the synthetic groups (through `optimizer`). */
export interface DistillState {
  readonly data: LabelledSet;
  /** Indexes of `data` per action. */
  readonly byAction: readonly Int32Array[];
  readonly groups: readonly SyntheticGroup[];
  readonly config: DistillConfig;
  /** Moves the synthetic pixels (and learned label logits). */
  readonly optimizer: tf.Optimizer;
  readonly random: Random;
  readonly actionCount: number;
  /** The trained expert (methods that match on it). */
  readonly expert: TrainableNet | undefined;
  readonly control: RunControl;
}

export interface DistillMethod {
  readonly name: DistillVariant;
  /** Matches on the trained expert (else on freshly initialised networks). */
  readonly needsExpert: boolean;
  /** Synthetic labels enter its loss, so they can be learned (`learnLabels`). */
  readonly canLearnLabels: boolean;
  /** Starts the method on a run (mtt trains the trajectories it matches here). */
  start(state: DistillState): Promise<DistillSession>;
}

export interface DistillSession {
  /** One outer iteration: moves the synthetic set and returns its matching distance. */
  iterate(iteration: number): Promise<number>;
  /** Frees what `start` prepared. */
  dispose(): void;
}

/** The session of a method that prepares nothing: each iteration reads the state alone. */
export function eachIteration(iterate: (state: DistillState, iteration: number) => Promise<number>): DistillMethod['start'] {
  return (state) => Promise.resolve({ iterate: (iteration) => iterate(state, iteration), dispose: () => {} });
}

/** Reads a scalar distance tensor and disposes it. */
export async function readDistance(distance: tf.Scalar): Promise<number> {
  const value = (await distance.data())[0]!;
  distance.dispose();
  return value;
}
