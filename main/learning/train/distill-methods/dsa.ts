/**
 * "dsa": dc with differentiable siamese augmentation (Zhao & Bilen, ICML 2021): each
 * matching step draws one translation / brightness / contrast change (`augment`) and
 * applies it to the real and the synthetic batch alike, so the synthetic pixels learn
 * what survives the augmentation. No flips: left and right are different actions.
 */
import { freshNetworkMatching } from './fresh-network-matching.ts';
import { eachIteration, type DistillMethod } from './method.ts';

export const dsaMethod: DistillMethod = {
  name: 'dsa',
  needsExpert: false,
  canLearnLabels: true,
  start: eachIteration((state, iteration) => freshNetworkMatching(state, iteration, state.config.augment)),
};
