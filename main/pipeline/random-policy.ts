/**
 * The uniformly random policy: every run evaluates it on the same level seeds
 * as its models, so each results table carries the floor a method must clear
 * before its number means anything. Stored like the planner, as a weightless
 * model of the run, so that results, replays and exports treat it as a policy.
 */
import type { Database } from 'better-sqlite3';
import { RANDOM_METHOD } from '@shared/config/methods.ts';
import { NUM_ACTIONS } from '@shared/procgen/engine/actions.ts';
import type { ActionSource } from '../learning/train/episodes.ts';
import type { Random } from '../learning/random.ts';
import { saveModel } from '../storage/models.ts';

export const RANDOM_KEY = { role: 'expert', method: RANDOM_METHOD, member: 0 } as const;
const RANDOM_ARCHITECTURE = `random (uniform over the ${NUM_ACTIONS} actions)`;

/** Whether a stored model is the random policy (no weights, no observations needed). */
export function isRandomModel(model: { readonly architecture: string }): boolean {
  return model.architecture === RANDOM_ARCHITECTURE;
}

/** Stores the random policy as a weightless model of the run; returns its id. */
export function saveRandomPolicy(db: Database, runId: number): number {
  return saveModel(db, runId, RANDOM_KEY, RANDOM_ARCHITECTURE, new Uint8Array(0));
}

/** Each action uniformly at random, drawn from `random` slot by slot (deterministic for a given slot count). */
export function randomPolicySource(random: Random): ActionSource {
  return {
    needsFrames: false,
    begin: () => {},
    choose(active, _games, _frames, out) {
      for (let i = 0; i < active.length; i++) out[i] = random.int(NUM_ACTIONS);
    },
  };
}
