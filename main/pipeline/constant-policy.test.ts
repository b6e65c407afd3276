import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '@shared/config/experiment.ts';
import { presetConfig } from '@shared/config/presets.ts';
import { actionName } from '@shared/procgen/action-names.ts';
import { NUM_ACTIONS } from '@shared/procgen/engine/actions.ts';
import type { Mode } from '@shared/procgen/engine/game.ts';
import { createGame, type GameName } from '@shared/procgen/games/index.ts';
import { chooseConstantAction, constantActionOf, isConstantModel, SELECTION_EPISODES, selectionLevelSeeds, unplayedLevelSeeds } from './constant-policy.ts';
import { chooseRunConstantAction, evaluationSplits } from './stages/evaluate.ts';

/** Each action's mean return, played always on every level, stepping the game itself (not through the episode player). */
function actionMeans(game: GameName, mode: Mode, seeds: readonly number[]): number[] {
  return Array.from({ length: NUM_ACTIONS }, (_, action) => {
    let sum = 0;
    for (const seed of seeds) {
      const g = createGame(game, mode);
      g.resetLevel(seed);
      while (!g.done) {
        g.step(action);
        sum += g.reward;
      }
    }
    return sum / seeds.length;
  });
}

describe('the best constant action', () => {
  it("picks the action with the highest mean return on its selection levels, none of which the evaluation plays (paper-bigfish's config)", () => {
    const config = parseExperimentConfig(presetConfig('paper-bigfish'));
    const choice = chooseRunConstantAction(config);
    const evaluated = evaluationSplits(config).flatMap((s) => s.seeds);
    const idSeeds = evaluationSplits(config).find((s) => s.split === 'id')!.seeds;
    expect(idSeeds.length).toBeGreaterThan(0);
    // Distinct training levels the evaluation does not play.
    expect(choice.seeds).toHaveLength(SELECTION_EPISODES);
    expect(new Set(choice.seeds).size).toBe(SELECTION_EPISODES);
    const { startLevel, numLevels } = config.trainLevels;
    for (const seed of choice.seeds) {
      expect(seed).toBeGreaterThanOrEqual(startLevel);
      expect(seed).toBeLessThan(startLevel + numLevels);
      expect(evaluated).not.toContain(seed);
    }

    const means = actionMeans(config.game, config.mode, choice.seeds);
    means.forEach((mean, action) => expect(choice.means[action], `action ${action}`).toBeCloseTo(mean, 9));
    const best = Math.max(...means);
    // Not a tie of every action: the choice was one to make.
    expect(best).toBeGreaterThan(Math.min(...means));
    expect(choice.action).toBe(means.indexOf(best));
    expect(choice.architecture).toBe(
      `constant action ${choice.action} (${actionName('bigfish', choice.action)}): best of 15 on ${SELECTION_EPISODES} selection episodes each, on training levels the evaluation does not play`,
    );
    expect(constantActionOf(choice)).toBe(choice.action);
    expect(isConstantModel(choice)).toBe(true);
    expect(isConstantModel({ architecture: 'random (uniform over the 15 actions)' })).toBe(false);
  });

  it("breaks a tie by the lowest action: starpilot's fire keys (D, W, S, Q, E) are one move", () => {
    const seeds = unplayedLevelSeeds({ startLevel: 100, numLevels: 200 }, 7, [], 10);
    const choice = chooseConstantAction({ game: 'starpilot', mode: 'easy' }, { seeds, unplayed: true });
    const means = actionMeans('starpilot', 'easy', seeds);
    const best = Math.max(...means);
    const tied = means.flatMap((m, action) => (m === best ? [action] : []));
    expect(tied.length).toBeGreaterThan(1);
    expect(choice.action).toBe(tied[0]);
  });

  it('chooses on levels the evaluation does not play, and says so where the evaluation plays every training level', () => {
    expect(unplayedLevelSeeds({ startLevel: 5, numLevels: 4 }, 3, [5, 6], 10).sort()).toEqual([7, 8]);
    expect(unplayedLevelSeeds({ startLevel: 5, numLevels: 4 }, 3, [5, 6, 7, 8], 10)).toEqual([]);
    const covered = parseExperimentConfig({ ...presetConfig('paper-jumper'), trainLevels: { startLevel: 100, numLevels: 3 } });
    const evaluated = evaluationSplits(covered).flatMap((s) => s.seeds);
    const selection = selectionLevelSeeds(covered, evaluated);
    expect(selection.unplayed).toBe(false);
    expect(selection.seeds).toHaveLength(SELECTION_EPISODES);
    for (const seed of selection.seeds) expect([100, 101, 102]).toContain(seed);
    const few = chooseConstantAction(covered, { seeds: selection.seeds.slice(0, 2), unplayed: false });
    expect(few.architecture).toMatch(/: best of 15 on 2 selection episodes each, on training levels the evaluation plays too \(it plays them all\)$/);
  });
});
