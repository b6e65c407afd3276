/**
 * Stage 1, the expert network everything downstream learns from. One module per
 * source in `../experts/`: `ppo` (the paper's), `planner` (cloning the search
 * planner's demonstrations once), `dagger` (expert iteration from the planner: the
 * strong expert a CPU can afford), `reuse` (another run's), `file` (an exported one).
 */
import type { StageDefinition } from '../stage-context.ts';
import { daggerExpert } from '../experts/dagger.ts';
import { plannerImitationExpert } from '../experts/planner-imitation.ts';
import { ppoExpert } from '../experts/ppo.ts';
import { fileExpert } from '../experts/file.ts';
import { reusedExpert } from '../experts/reuse.ts';

export { EXPERT_KEY, PLANNER_KEY, isPlannerModel, plannerSource } from '../experts/keys.ts';

export const expertStage: StageDefinition = {
  name: 'expert',
  async run(ctx) {
    switch (ctx.config.expert.source) {
      case 'ppo':
        return ppoExpert(ctx);
      case 'dagger':
        return daggerExpert(ctx);
      case 'planner':
        return plannerImitationExpert(ctx);
      case 'reuse':
        return reusedExpert(ctx);
      case 'file':
        return fileExpert(ctx);
    }
  },
};
