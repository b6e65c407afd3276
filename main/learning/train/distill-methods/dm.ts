/**
 * "dm": distribution matching (Zhao & Bilen, WACV 2023): per iteration a freshly
 * initialised network embeds a real batch of each action and that action's synthetic
 * samples (what its policy head reads); the squared distance between their mean
 * embeddings, summed over actions, moves the pixels. No bi-level loop, so it is cheap;
 * labels do not enter the loss (they cannot be learned). Augmentations (`augment`) are
 * applied alike to both, one draw per iteration, as the original does.
 */
import { createNetwork } from '../../nets/create.ts';
import { initParams } from '../../nets/network.ts';
import * as tf from '@tensorflow/tfjs-core';
import { drawSiameseParams, siameseAugment } from '../augment.ts';
import { sampleWithoutReplacement } from '../coreset.ts';
import { BatchBuilder, disposeBatch } from '../data.ts';
import { dmMatchStep } from '../steps.ts';
import { eachIteration, readDistance, type DistillMethod } from './method.ts';

export const dmMethod: DistillMethod = {
  name: 'dm',
  needsExpert: false,
  canLearnLabels: false,
  start: eachIteration(async ({ data, byAction, groups, config, optimizer, random, actionCount }) => {
    const def = createNetwork({ ...config.network, actions: actionCount });
    const params = initParams(def, config.init, random.int(2 ** 31));
    const builder = new BatchBuilder(data, config.realBatch, actionCount);
    const real = groups.map((g) => builder.build(sampleWithoutReplacement(byAction[g.action]!, config.realBatch, random)));
    const augment = config.augment.length > 0 ? siameseAugment(drawSiameseParams(config.augment, random)) : undefined;
    try {
      return await readDistance(dmMatchStep(def, params, groups, real, optimizer, augment));
    } finally {
      real.forEach(disposeBatch);
      tf.dispose(params);
    }
  }),
};
