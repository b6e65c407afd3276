/**
 * One optimisation step of each method, shared by the trainers and `ddrl bench learn`
 * (so the benchmark times exactly the code that trains). Each returns the loss as a
 * scalar tensor and leaves no other tensor behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import { bcLoss, layerCosineDistance, oneHotLabels, squaredL2Distance, type BcLoss, type ImitationLoss } from '../losses.ts';
import type { NetworkDef } from '../nets/network.ts';
import type { TrainableNet } from '../nets/trainable.ts';

/** A labelled batch: pixels [N, 64, 64, 3] on the 0..255 scale and action targets [N, A] (one-hot or soft). */
export interface Batch {
  readonly obs: tf.Tensor4D;
  readonly targets: tf.Tensor2D;
}

/** The synthetic samples of one action: trainable pixels and their label. */
export interface SyntheticGroup {
  readonly action: number;
  /** The trained parameters: pixels / `scale` (scale 1: the 0..255 pixels themselves). */
  readonly pixels: tf.Variable<tf.Rank.R4>;
  readonly oneHot: tf.Tensor2D;
  /** Pixels per parameter unit (255: parameters in 0..1); absent means 1. */
  readonly scale?: number;
  /** Learned labels: per sample, logits whose softmax is its target (absent: the fixed one-hot). */
  readonly labelLogits?: tf.Variable<tf.Rank.R2>;
  /** The real samples (indexes of the distilled data) the pixels started from; absent when continuing a stored set. */
  readonly origins?: Int32Array;
}

/** A group's samples as the networks read them: pixels on the 0..255 scale. */
export function groupObs(g: SyntheticGroup): tf.Tensor4D {
  return g.scale === undefined || g.scale === 1 ? g.pixels : (tf.mul(g.pixels, g.scale) as tf.Tensor4D);
}

/** A group's targets: softmax of its learned label logits, or its one-hot action. */
export function groupTargets(g: SyntheticGroup): tf.Tensor2D {
  return g.labelLogits ? tf.softmax(g.labelLogits) : g.oneHot;
}

/** What a matching step trains: the pixels, and the label logits where labels are learned. */
function trainedVariables(groups: readonly SyntheticGroup[]): tf.Variable[] {
  return groups.flatMap((g) => (g.labelLogits ? [g.pixels, g.labelLogits] : [g.pixels]));
}

/** A pixel transformation applied alike to real and synthetic batches (differentiable). */
export type Augment = (obs: tf.Tensor4D) => tf.Tensor4D;
const identity: Augment = (obs) => obs;

/** One behavioural-cloning step: loss on the batch, gradients, one optimizer update. */
export function bcStep(net: TrainableNet, optimizer: tf.Optimizer, batch: Batch, loss: ImitationLoss): tf.Scalar {
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
    const { value, grads } = tf.variableGrads(() => {
      const terms = groups.map((g, i) => squaredL2Distance(paramGrads(def, params, { obs: groupObs(g), targets: groupTargets(g) }, loss), realGrads[i]!));
      return tf.addN(terms) as tf.Scalar;
    }, trainedVariables(groups));
    optimizer.applyGradients(grads);
    return value;
  });
}

/**
 * Dataset condensation's matching step: layer-wise cosine distance between the gradients
 * of the whole synthetic set and of a real batch, on the given (freshly initialised)
 * parameters; one optimizer step on the pixels. With `augment` (DSA), the same
 * transformation is applied to the real and the synthetic batch, inside the tape.
 */
export function dcMatchStep(
  def: NetworkDef,
  params: readonly tf.Tensor[],
  groups: readonly SyntheticGroup[],
  real: Batch,
  loss: BcLoss,
  optimizer: tf.Optimizer,
  augment: Augment = identity,
): tf.Scalar {
  return tf.tidy(() => {
    const realGrads = paramGrads(def, params, { obs: augment(real.obs), targets: real.targets }, loss);
    const { value, grads } = tf.variableGrads(() => dcDistance(def, params, syntheticBatch(groups), realGrads, loss, augment), trainedVariables(groups));
    optimizer.applyGradients(grads);
    return value;
  });
}

/**
 * Distribution matching's step (Zhao & Bilen 2023): per action, the squared L2 distance
 * between the mean embedding (what the policy head reads) of a real batch and of the
 * synthetic samples, under the given (freshly initialised) parameters, summed over
 * actions; one optimizer step on the pixels. Labels do not enter it. `real[i]` is the
 * real batch for `groups[i]`; `augment` is applied alike to both.
 */
export function dmMatchStep(
  def: NetworkDef,
  params: readonly tf.Tensor[],
  groups: readonly SyntheticGroup[],
  real: readonly Batch[],
  optimizer: tf.Optimizer,
  augment: Augment = identity,
): tf.Scalar {
  return tf.tidy(() => {
    // One forward pass for all real batches (they are equal-sized): [actions, batch, features] -> means.
    const realFeatures = def.forward(params, augment(real.length === 1 ? real[0]!.obs : (tf.concat(real.map((b) => b.obs)) as tf.Tensor4D))).features;
    const realMeans = tf.unstack(tf.mean(tf.reshape(realFeatures, [real.length, real[0]!.obs.shape[0], -1]), 1)) as tf.Tensor1D[];
    const { value, grads } = tf.variableGrads(
      () => dmDistance(def, params, groups.map(groupObs), realMeans, augment),
      groups.map((g) => g.pixels),
    );
    optimizer.applyGradients(grads);
    return value;
  });
}

/**
 * Matching training trajectories (Cazenavette et al., CVPR 2022): from `start` (a
 * checkpoint of a network trained on the real data), one plain SGD step at
 * `learningRate` per synthetic batch; the squared distance of where that leads to
 * `target` (a later checkpoint of the same training), over the distance from `start`
 * to `target`. Differentiable in the batches and the learning rate through every step.
 */
export function mttDistance(
  def: NetworkDef,
  start: readonly tf.Tensor[],
  target: readonly tf.Tensor[],
  batches: readonly Batch[],
  learningRate: tf.Scalar,
  loss: BcLoss,
): tf.Scalar {
  const policy = policyParamIndexes(def);
  let params = [...start];
  for (const batch of batches) {
    const grads = paramGrads(def, params, batch, loss);
    params = params.map((p, i) => (policy.includes(i) ? tf.sub(p, tf.mul(learningRate, grads[policy.indexOf(i)]!)) : p));
  }
  const pick = (ps: readonly tf.Tensor[]) => policy.map((i) => ps[i]!);
  return tf.div(squaredL2Distance(pick(params), pick(target)), squaredL2Distance(pick(start), pick(target)));
}

/**
 * MTT's matching step: `picks[k]` are the synthetic samples (indexes into all groups, in
 * order) of unrolled step k; one optimizer step on the pixels (and learned labels) and,
 * given `rateOptimizer`, one on the log learning rate.
 */
export function mttMatchStep(
  def: NetworkDef,
  start: readonly tf.Tensor[],
  target: readonly tf.Tensor[],
  groups: readonly SyntheticGroup[],
  picks: readonly Int32Array[],
  logLearningRate: tf.Variable<tf.Rank.R0>,
  loss: BcLoss,
  optimizer: tf.Optimizer,
  rateOptimizer?: tf.Optimizer,
): tf.Scalar {
  return tf.tidy(() => {
    const trained = trainedVariables(groups);
    const { value, grads } = tf.variableGrads(
      () => {
        const syn = syntheticBatch(groups);
        const batches = picks.map((indexes) => ({ obs: selectRows(syn.obs, indexes), targets: selectRows(syn.targets, indexes) }));
        return mttDistance(def, start, target, batches, tf.exp(logLearningRate), loss);
      },
      rateOptimizer ? [...trained, logLearningRate] : trained,
    );
    optimizer.applyGradients(Object.fromEntries(trained.map((v) => [v.name, grads[v.name]!])));
    if (rateOptimizer) rateOptimizer.applyGradients({ [logLearningRate.name]: grads[logLearningRate.name]! });
    return value;
  });
}

/**
 * Rows `indexes` of `x` (along its first axis), differentiably: as a product with one-hot
 * rows, because tf.gather's gradient needs a kernel (UnsortedSegmentSum) the wasm backend
 * lacks. For 50 of 150 synthetic samples it costs a few percent of an unrolled step.
 */
export function selectRows<T extends tf.Tensor>(x: T, indexes: Int32Array): T {
  const rows = x.shape[0]!;
  const selection = oneHotLabels(indexes, rows);
  const picked = tf.matMul(selection, tf.reshape(x, [rows, -1]));
  return tf.reshape(picked, [indexes.length, ...x.shape.slice(1)]) as T;
}

/** dc's distance: layer-wise cosine between the synthetic batch's gradients (after `augment`) and the real ones. */
export function dcDistance(
  def: NetworkDef,
  params: readonly tf.Tensor[],
  syn: Batch,
  realGrads: readonly tf.Tensor[],
  loss: BcLoss,
  augment: Augment = identity,
): tf.Scalar {
  return layerCosineDistance(paramGrads(def, params, { obs: augment(syn.obs), targets: syn.targets }, loss), realGrads);
}

/** dm's distance: per action, squared L2 between the synthetic samples' mean embedding (after `augment`) and the real one, summed. */
export function dmDistance(
  def: NetworkDef,
  params: readonly tf.Tensor[],
  synObs: readonly tf.Tensor4D[],
  realMeans: readonly tf.Tensor1D[],
  augment: Augment = identity,
): tf.Scalar {
  // One forward pass for every group, then each group's mean.
  const features = def.forward(params, augment(synObs.length === 1 ? synObs[0]! : (tf.concat([...synObs]) as tf.Tensor4D))).features;
  // (tfjs cannot differentiate a split into one part.)
  const perGroup =
    synObs.length === 1
      ? [features]
      : tf.split(
          features,
          synObs.map((o) => o.shape[0]),
        );
  return tf.addN(perGroup.map((f, i) => tf.sum(tf.squaredDifference(tf.mean(f, 0), realMeans[i]!)))) as tf.Scalar;
}

/** All synthetic samples as one batch (concatenated along the batch axis, which is contiguous). */
export function syntheticBatch(groups: readonly SyntheticGroup[]): Batch {
  if (groups.length === 1) return { obs: groupObs(groups[0]!), targets: groupTargets(groups[0]!) };
  return { obs: tf.concat(groups.map(groupObs)) as tf.Tensor4D, targets: tf.concat(groups.map(groupTargets)) as tf.Tensor2D };
}
