/**
 * One optimisation step of each method, shared by the trainers and `ddrl bench learn`
 * (so the benchmark times exactly the code that trains). Each returns the loss as a
 * scalar tensor and leaves no other tensor behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import { bcLoss, layerCosineDistance, squaredL2Distance, type BcLoss } from '../losses.ts';
import type { NetworkDef } from '../nets/network.ts';
import type { TrainableNet } from '../nets/trainable.ts';

/** A labelled batch: pixels [N, 64, 64, 3] on the 0..255 scale and action targets [N, A] (one-hot or soft). */
export interface Batch {
  readonly obs: tf.Tensor4D;
  readonly targets: tf.Tensor2D;
}

/** The synthetic samples of one action: trainable pixels and their fixed one-hot label. */
export interface SyntheticGroup {
  readonly action: number;
  readonly pixels: tf.Variable<tf.Rank.R4>;
  readonly oneHot: tf.Tensor2D;
}

/** One behavioural-cloning step: loss on the batch, gradients, one optimizer update. */
export function bcStep(net: TrainableNet, optimizer: tf.Optimizer, batch: Batch, loss: BcLoss): tf.Scalar {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => bcLoss(net.def.forward(net.vars, batch.obs).logits, batch.targets, loss), net.vars);
    optimizer.applyGradients(grads);
    return value;
  });
}

/**
 * dLoss/dParams of a network on a batch, for the parameters the policy depends on (a value
 * head plays no part in the BC loss); differentiable again when called under a tape.
 */
export function paramGrads(def: NetworkDef, params: readonly tf.Tensor[], batch: Batch, loss: BcLoss): tf.Tensor[] {
  const policy = policyParamIndexes(def);
  const withPolicy = (ps: tf.Tensor[]) => params.map((p, i) => ps[policy.indexOf(i)] ?? p);
  return tf.grads((...ps: tf.Tensor[]) => bcLoss(def.forward(withPolicy(ps), batch.obs).logits, batch.targets, loss))(policy.map((i) => params[i]!));
}

function policyParamIndexes(def: NetworkDef): number[] {
  return def.specs.flatMap((spec, i) => (spec.role === 'value' ? [] : [i]));
}

/**
 * The paper's matching step on a frozen network: for each action, the squared L2
 * distance between the parameter gradients of its synthetic samples and of a real batch
 * of that action; the distances are summed and one optimizer step moves the pixels.
 * `real[i]` is the real batch for `groups[i]`.
 */
export function paperMatchStep(
  def: NetworkDef,
  params: readonly tf.Tensor[],
  groups: readonly SyntheticGroup[],
  real: readonly Batch[],
  loss: BcLoss,
  optimizer: tf.Optimizer,
): tf.Scalar {
  return tf.tidy(() => {
    // Real gradients are constants: computed before the tape that differentiates the pixels.
    const realGrads = real.map((batch) => paramGrads(def, params, batch, loss));
    const { value, grads } = tf.variableGrads(
      () => {
        const terms = groups.map((g, i) => squaredL2Distance(paramGrads(def, params, { obs: g.pixels, targets: g.oneHot }, loss), realGrads[i]!));
        return tf.addN(terms) as tf.Scalar;
      },
      groups.map((g) => g.pixels),
    );
    optimizer.applyGradients(grads);
    return value;
  });
}

/**
 * Dataset condensation's matching step: layer-wise cosine distance between the gradients
 * of the whole synthetic set and of a real batch, on the given (freshly initialised)
 * parameters; one optimizer step on the pixels.
 */
export function dcMatchStep(
  def: NetworkDef,
  params: readonly tf.Tensor[],
  groups: readonly SyntheticGroup[],
  real: Batch,
  loss: BcLoss,
  optimizer: tf.Optimizer,
): tf.Scalar {
  return tf.tidy(() => {
    const realGrads = paramGrads(def, params, real, loss);
    const { value, grads } = tf.variableGrads(
      () => {
        const syn = syntheticBatch(groups);
        return layerCosineDistance(paramGrads(def, params, syn, loss), realGrads);
      },
      groups.map((g) => g.pixels),
    );
    optimizer.applyGradients(grads);
    return value;
  });
}

/** All synthetic samples as one batch (concatenated along the batch axis, which is contiguous). */
export function syntheticBatch(groups: readonly SyntheticGroup[]): Batch {
  if (groups.length === 1) return { obs: groups[0]!.pixels, targets: groups[0]!.oneHot };
  return { obs: tf.concat(groups.map((g) => g.pixels)) as tf.Tensor4D, targets: tf.concat(groups.map((g) => g.oneHot)) as tf.Tensor2D };
}
