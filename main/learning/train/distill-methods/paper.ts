/**
 * "paper" (the official code of the DDRL paper): a frozen pretrained expert; each
 * iteration, for every action, a real batch of that action and the synthetic samples
 * of that action; squared L2 distance between their parameter gradients (MSE on softmax
 * vs one-hot), summed over actions; SGD lr 0.1 momentum 0.5 on the pixels; pixels never
 * clamped.
 */
import { sampleWithoutReplacement } from '../coreset.ts';
import { BatchBuilder, disposeBatch } from '../data.ts';
import { paperMatchStep } from '../steps.ts';
import { eachIteration, readDistance, type DistillMethod } from './method.ts';

export const paperMethod: DistillMethod = {
  name: 'paper',
  needsExpert: true,
  canLearnLabels: true,
  start: eachIteration(async ({ data, byAction, groups, config, optimizer, random, expert }) => {
    const builder = new BatchBuilder(data, config.realBatch, expert!.def.actions);
    const real = groups.map((g) => builder.build(sampleWithoutReplacement(byAction[g.action]!, config.realBatch, random)));
    try {
      return await readDistance(paperMatchStep(expert!.def, expert!.vars, groups, real, config.loss, optimizer));
    } finally {
      real.forEach(disposeBatch);
    }
  }),
};
