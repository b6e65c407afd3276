/**
 * "mtt": matching training trajectories (Cazenavette et al., CVPR 2022), with short
 * unrolls. Before the first iteration, `trajectories` students are trained on the real
 * data by plain SGD, keeping `checkpoints` parameter snapshots `stepsPerCheckpoint`
 * steps apart (the first is the initialisation; this training is part of the stage's
 * cost). Each iteration starts a student at a random checkpoint of a random
 * trajectory, takes `syntheticSteps` SGD steps on synthetic minibatches at a learned
 * learning rate, and moves the pixels (learned labels, and that rate) so the student
 * lands near the checkpoint `targetSpan` further on.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createNetwork } from '../../nets/create.ts';
import { createTrainable, disposeTrainable } from '../../nets/trainable.ts';
import { checkpoint } from '../control.ts';
import { sampleWithoutReplacement } from '../coreset.ts';
import { BatchBuilder, disposeBatch } from '../data.ts';
import { adam, disposeOptimizer, sgdMomentum } from '../optimizers.ts';
import { bcStep, mttMatchStep } from '../steps.ts';
import { readDistance, type DistillMethod, type DistillState } from './method.ts';

/** Adam's step on the log learning rate: each iteration moves the rate by about 1%. */
const RATE_STEP = 0.01;

/** Each trajectory's checkpoints, oldest first: copies of the policy network's parameters. */
async function trainTrajectories({ data, config, random, actionCount, control }: DistillState): Promise<tf.Tensor[][][]> {
  const { trajectories, checkpoints, stepsPerCheckpoint, trajectoryLearningRate } = config.mtt;
  const all = Int32Array.from({ length: data.count }, (_, i) => i);
  const batchSize = Math.min(config.realBatch, data.count);
  const builder = new BatchBuilder(data, batchSize, actionCount);
  const result: tf.Tensor[][][] = [];
  for (let t = 0; t < trajectories; t++) {
    const net = createTrainable(createNetwork({ ...config.network, actions: actionCount }), config.init, random.int(2 ** 31));
    const optimizer = sgdMomentum(trajectoryLearningRate, 0);
    const kept = [net.vars.map((v) => v.clone())];
    try {
      for (let c = 1; c < checkpoints; c++) {
        for (let s = 0; s < stepsPerCheckpoint; s++) {
          const batch = builder.build(sampleWithoutReplacement(all, batchSize, random));
          bcStep(net, optimizer, batch, config.loss).dispose();
          disposeBatch(batch);
        }
        await checkpoint(control, 'Training the trajectories to match', t * checkpoints + c);
        kept.push(net.vars.map((v) => v.clone()));
      }
      result.push(kept);
    } catch (error) {
      kept.forEach((ps) => tf.dispose(ps));
      result.forEach((trajectory) => trajectory.forEach((ps) => tf.dispose(ps)));
      throw error;
    } finally {
      disposeOptimizer(optimizer);
      disposeTrainable(net);
    }
  }
  return result;
}

export const mttMethod: DistillMethod = {
  name: 'mtt',
  needsExpert: false,
  canLearnLabels: true,
  async start(state) {
    const { groups, config, optimizer, random, actionCount } = state;
    const { checkpoints, targetSpan, syntheticSteps, syntheticBatch, trajectoryLearningRate, learnRate } = config.mtt;
    const def = createNetwork({ ...config.network, actions: actionCount });
    const trajectories = await trainTrajectories(state);
    const initialRate = tf.scalar(Math.log(trajectoryLearningRate));
    const logLearningRate = tf.variable(initialRate, true);
    initialRate.dispose();
    const rateOptimizer = learnRate ? adam(RATE_STEP) : undefined;
    const synthetic = Int32Array.from({ length: groups.reduce((n, g) => n + g.pixels.shape[0], 0) }, (_, i) => i);
    const batch = Math.min(syntheticBatch, synthetic.length);
    return {
      async iterate() {
        const trajectory = trajectories[random.int(trajectories.length)]!;
        const from = random.int(checkpoints - targetSpan);
        const picks = Array.from({ length: syntheticSteps }, () => sampleWithoutReplacement(synthetic, batch, random));
        const distance = mttMatchStep(
          def,
          trajectory[from]!,
          trajectory[from + targetSpan]!,
          groups,
          picks,
          logLearningRate,
          config.loss,
          optimizer,
          rateOptimizer,
        );
        return readDistance(distance);
      },
      dispose() {
        trajectories.forEach((trajectory) => trajectory.forEach((ps) => tf.dispose(ps)));
        logLearningRate.dispose();
        if (rateOptimizer) disposeOptimizer(rateOptimizer);
      },
    };
  },
};
