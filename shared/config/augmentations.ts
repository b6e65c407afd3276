import type { GameName } from '../procgen/games/index.ts';

/**
 * Differentiable siamese augmentations of distillation (DSA, Zhao & Bilen 2021; also
 * used by distribution matching): one random transformation per matching step, applied
 * alike to the real and the synthetic batch.
 */
export const AUGMENTATIONS = ['translate', 'brightness', 'contrast', 'flip'] as const;
export type Augmentation = (typeof AUGMENTATIONS)[number];

/**
 * The augmentations that keep an observation's action right, per game. A horizontal
 * flip turns "left" into "right", which are different actions in every game: no game
 * allows it.
 */
export const GAME_AUGMENTATIONS: Readonly<Record<GameName, readonly Augmentation[]>> = {
  bigfish: ['translate', 'brightness', 'contrast'],
  starpilot: ['translate', 'brightness', 'contrast'],
  jumper: ['translate', 'brightness', 'contrast'],
};
