/** Expert source `reuse`: another run's expert network, copied. */
import { getRun } from '../../storage/runs.ts';
import { findModel } from '../../storage/models.ts';
import type { StageCommit, StageContext } from '../stage-context.ts';
import { EXPERT_KEY, adoptedExpert } from './keys.ts';

export function reusedExpert(ctx: StageContext): StageCommit {
  const from = ctx.config.expert.reuseRunId!;
  if (from === ctx.runId) throw new Error(`expert.reuseRunId=${from} is this run itself: name an earlier run whose expert stage finished (ddrl runs).`);
  getRun(ctx.db, from); // a clear error when the run does not exist
  const model = findModel(ctx.db, from, EXPERT_KEY);
  if (!model) throw new Error(`expert.reuseRunId=${from}: run ${from} has no expert network (its expert stage has not finished).`);
  ctx.log(`copies run ${from}'s expert network; nothing trained`);
  return adoptedExpert(ctx.runId, model.architecture, model.weights);
}
