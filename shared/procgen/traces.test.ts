import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Entity } from './engine/entity.ts';
import { ProcgenEnv } from './env.ts';
import { GAME_NAMES } from './games/index.ts';

/**
 * Every episode recorded from the real Procgen (../shared/reference/procgen-traces)
 * must replay step for step: reward, done, info, and the exact float32 state of
 * the agent (and of every entity where the trace lists them).
 */
const TRACES_DIR = process.env.DDRL_TRACES_DIR ?? resolve(import.meta.dirname, '../../../shared/reference/procgen-traces');
const haveTraces = existsSync(join(TRACES_DIR, 'bigfish.jsonl'));
if (!haveTraces) console.warn(`Procgen traces not found in ${TRACES_DIR}: set DDRL_TRACES_DIR to check against real Procgen.`);

interface TraceStep {
  t: number;
  action: number;
  reward: number;
  done: boolean;
  level_seed: number;
  prev_level_seed: number;
  prev_level_complete: number;
}
interface Episode {
  level_seed: number;
  steps: TraceStep[];
  return: number;
  length: number;
}
type EntityState = Pick<Entity, 'type' | 'x' | 'y' | 'vx' | 'vy' | 'rx' | 'ry'>;
type AgentState = Omit<EntityState, 'type'>;
interface StateEpisode {
  grid: number[];
  initial_entities: EntityState[];
  steps: { agent: AgentState; n_entities: number; entities?: EntityState[] }[];
}

function readJsonl<T>(file: string): T[] {
  return readFileSync(join(TRACES_DIR, file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T);
}

const FIELDS = ['type', 'x', 'y', 'vx', 'vy', 'rx', 'ry'] as const;
const AGENT_FIELDS = FIELDS.slice(1);

/** The recorded fields as float32, for an exact comparison with ours. */
function asFloat32(e: Partial<EntityState>, fields: readonly (keyof EntityState)[] = FIELDS): Partial<EntityState> {
  return Object.fromEntries(fields.map((k) => [k, Math.fround(e[k]!)]));
}

function pick(e: Entity, fields: readonly (keyof EntityState)[] = FIELDS): Partial<EntityState> {
  return Object.fromEntries(fields.map((k) => [k, e[k]]));
}

describe.skipIf(!haveTraces)('real Procgen traces', () => {
  for (const game of GAME_NAMES) {
    describe(game, () => {
      const episodes = haveTraces ? readJsonl<Episode>(`${game}.jsonl`) : [];
      const states = haveTraces ? readJsonl<StateEpisode>(`${game}_state.jsonl`) : [];
      episodes.forEach((episode, e) => {
        it(`level seed ${episode.level_seed} (${episode.length} steps, return ${episode.return})`, () => {
          const state = states[e]!;
          const env = new ProcgenEnv({ game, mode: 'easy', numLevels: 1, startLevel: episode.level_seed });
          const entities = env.game.entities;
          expect(Array.from(env.game.grid)).toEqual(state.grid);
          expect(entities.items.slice(0, entities.count).map((e) => pick(e))).toEqual(state.initial_entities.map((e) => asFloat32(e)));
          let episodeReturn = 0;
          episode.steps.forEach((step, t) => {
            env.step(step.action);
            episodeReturn += env.reward;
            const where = `step ${t} (action ${step.action})`;
            expect({ where, reward: env.reward, done: env.done }).toEqual({ where, reward: step.reward, done: step.done });
            expect({ where, levelSeed: env.levelSeed, prevLevelSeed: env.prevLevelSeed, prevLevelComplete: env.prevLevelComplete }).toEqual({
              where,
              levelSeed: step.level_seed,
              prevLevelSeed: step.prev_level_seed,
              prevLevelComplete: step.prev_level_complete === 1,
            });
            const recorded = state.steps[t]!;
            expect({ where, agent: pick(entities.items[0]!, AGENT_FIELDS), count: entities.count }).toEqual({
              where,
              agent: asFloat32(recorded.agent, AGENT_FIELDS),
              count: recorded.n_entities,
            });
            if (recorded.entities) {
              expect({ where, entities: entities.items.slice(0, entities.count).map((e) => pick(e)) }).toEqual({
                where,
                entities: recorded.entities.map((e) => asFloat32(e)),
              });
            }
          });
          expect(episodeReturn).toBe(episode.return);
          expect(episode.steps.length).toBe(episode.length);
        });
      });
    });
  }
});
