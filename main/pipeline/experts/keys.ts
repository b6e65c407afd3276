/** Where every expert source stores what it made, and the planner as a policy of the run. */
import { saveMethodData } from '../../storage/methods.ts';
import { saveModel } from '../../storage/models.ts';
import { seedFor, type StageCommit, type StageContext } from '../stage-context.ts';
import { plannerActionSource } from '../planner.ts';
import type { ActionSource } from '../../learning/train/episodes.ts';

export const EXPERT_KEY = { role: 'expert', method: 'expert', member: 0 } as const;

/** Stores an expert network the run did not train (another run's, a file's): no data of its own. */
export function adoptedExpert(runId: number, architecture: string, weights: Uint8Array): StageCommit {
  return (db) => {
    saveModel(db, runId, EXPERT_KEY, architecture, weights);
    saveMethodData(db, runId, { method: 'expert', kind: 'expert', episodes: 0, samples: 0, stepIndices: null });
  };
}
/**
 * The search planner is a policy of the run too (the data's source when collect.actor is
 * 'planner'): stored as a weightless model so that evaluation, results and replays treat it
 * like any other policy.
 */
export const PLANNER_KEY = { role: 'expert', method: 'planner', member: 0 } as const;
export const PLANNER_ARCHITECTURE = 'planner';

/** Whether a stored model is the search planner (no weights: it searches copies of the game). */
export function isPlannerModel(model: { readonly architecture: string }): boolean {
  return model.architecture.startsWith(PLANNER_ARCHITECTURE);
}

/** How the planner model is named: its settings, so a table says which planner it was. */
export function plannerArchitecture(ctx: StageContext): string {
  const { horizon, rollouts, foresight, futures } = ctx.config.expert.planner;
  const sees = foresight === 'oracle' ? 'oracle' : `${futures} sampled futures`;
  return `${PLANNER_ARCHITECTURE}[horizon ${horizon}, rollouts ${rollouts}, ${sees}]`;
}

/** The planner as an action source (one planner per slot); `purpose` seeds its rollouts. */
export function plannerSource(ctx: StageContext, purpose: string): ActionSource {
  const { game, mode, expert } = ctx.config;
  return plannerActionSource(game, mode, expert.planner, expert.planner.targetTemperature, (slot) => seedFor(ctx.config.seed, `${purpose}/${slot}`));
}
