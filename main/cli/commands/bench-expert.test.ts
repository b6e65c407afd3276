import { describe, expect, it } from 'vitest';
import { runCaptured } from '../run-captured.ts';

const TINY = [
  'expert.planner.episodes=2',
  'expert.planner.horizon=6',
  'expert.planner.rollouts=1',
  'expert.planner.futures=1',
  'expert.imitation.steps=4',
  'expert.channels=[2,4,4]',
  'expert.dagger.rounds=1',
  'expert.dagger.episodesPerRound=1',
  'expert.dagger.stepsPerRound=4',
].flatMap((s) => ['--set', s]);

describe('ddrl bench expert', () => {
  it('trains the preset expert, then evaluates it, the planner and a random policy on the same levels (one JSON object)', async () => {
    const { code, out } = await runCaptured(['bench', 'expert', '--game', 'jumper', '--json', '--episodes', '3', ...TINY]);
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const row = JSON.parse(out[0]!) as Record<string, unknown>;
    for (const key of ['minutes', 'id_return', 'ood_return', 'planner_return', 'random_return']) expect(typeof row[key]).toBe('number');
    expect(row).toMatchObject({ game: 'jumper', episodes: 3, paper_teacher: { id: 8.3, ood: 5.8 } });
    // Jumper's planner reaches the goal (10) where a random policy mostly does not.
    expect(row['planner_return']).toBeGreaterThan(row['random_return'] as number);
  }, 120_000);

  it('names a missing or unknown game and a bad setting (exit 2)', async () => {
    for (const [args, message] of [
      [[], /--game is required: one of bigfish, starpilot, jumper/],
      [['--game', 'pong'], /--game 'pong' is not valid/],
      [['--game', 'jumper', '--set', 'expert.dagger.rounds=0'], /expert\.dagger\.rounds: must be at least 1/],
    ] as const) {
      const { code, err } = await runCaptured(['bench', 'expert', ...args]);
      expect(code).toBe(2);
      expect(err.join('\n')).toMatch(message);
    }
  });
});
