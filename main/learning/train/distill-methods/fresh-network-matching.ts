/**
 * Gradient matching on freshly initialised networks (dataset condensation, Zhao et al.
 * 2021), shared by `dc` and `dsa`: per iteration a new network; `matchSteps` matching
 * steps (layer-wise cosine distance between the gradients of the whole synthetic set and
 * of a real batch), each followed by `innerSteps` Adam steps training the network on the
 * synthetic set. With augmentations, one draw per matching step is applied alike to the
 * real and the synthetic batch, and each inner step trains on a fresh draw.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Augmentation } from '@shared/config/augmentations.ts';
import { createNetwork } from '../../nets/create.ts';
import { createTrainable, disposeTrainable } from '../../nets/trainable.ts';
import { drawSiameseParams, siameseAugment } from '../augment.ts';
import { checkpoint } from '../control.ts';
import { sampleWithoutReplacement } from '../coreset.ts';
import { BatchBuilder, disposeBatch } from '../data.ts';
import { adam, disposeOptimizer } from '../optimizers.ts';
import { bcStep, dcMatchStep, syntheticBatch } from '../steps.ts';
import { readDistance, type DistillState } from './method.ts';

export async function freshNetworkMatching(state: DistillState, iteration: number, augmentations: readonly Augmentation[]): Promise<number> {
  const { data, groups, config, optimizer, random, actionCount, control } = state;
  const net = createTrainable(createNetwork({ ...config.network, actions: actionCount }), config.init, random.int(2 ** 31));
  const all = Int32Array.from({ length: data.count }, (_, i) => i);
  const builder = new BatchBuilder(data, Math.min(config.realBatch, data.count), actionCount);
  const innerOptimizer = adam(config.innerLearningRate);
  const augmentOf = () => (augmentations.length > 0 ? siameseAugment(drawSiameseParams(augmentations, random)) : undefined);
  let total = 0;
  try {
    for (let m = 0; m < config.matchSteps; m++) {
      const real = builder.build(sampleWithoutReplacement(all, config.realBatch, random));
      total += await readDistance(dcMatchStep(net.def, net.vars, groups, real, config.loss, optimizer, augmentOf()));
      disposeBatch(real);
      // The inner loop trains the network on the (now fixed) synthetic set.
      for (let s = 0; s < config.innerSteps; s++) {
        const augment = augmentOf();
        tf.tidy(() => {
          const syn = syntheticBatch(groups);
          return bcStep(net, innerOptimizer, augment ? { obs: augment(syn.obs), targets: syn.targets } : syn, config.loss);
        }).dispose();
      }
      await checkpoint(control, 'Distillation', iteration);
    }
    return total / config.matchSteps;
  } finally {
    disposeOptimizer(innerOptimizer);
    disposeTrainable(net);
  }
}
