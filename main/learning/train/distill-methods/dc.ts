/** "dc": dataset condensation by gradient matching on fresh networks (Zhao, Mopuri & Bilen, ICLR 2021). */
import { freshNetworkMatching } from './fresh-network-matching.ts';
import { eachIteration, type DistillMethod } from './method.ts';

export const dcMethod: DistillMethod = {
  name: 'dc',
  needsExpert: false,
  canLearnLabels: true,
  start: eachIteration((state, iteration) => freshNetworkMatching(state, iteration, [])),
};
