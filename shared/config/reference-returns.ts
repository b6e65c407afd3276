/**
 * Published reference returns the app compares its experts with (easy mode, 200
 * training levels from level 100): the paper's teachers were PPO trained for 25M
 * steps with pfrl (learning curves of lerrytang/train-procgen-pfrl), read on the
 * training levels (`id`) and on unseen levels (`ood`).
 */
import type { GameName } from '../procgen/games/index.ts';

export interface ReferenceReturns {
  readonly id: number;
  readonly ood: number;
}

export const PAPER_TEACHER_RETURNS: Readonly<Record<GameName, ReferenceReturns>> = {
  bigfish: { id: 13, ood: 5.5 },
  starpilot: { id: 29, ood: 26 },
  jumper: { id: 8.3, ood: 5.8 },
};
