/**
 * Every stage of a run at a size that runs in seconds, as `--set` flags: what the
 * pipeline, study and media tests run (real training, just little of it).
 */
export const TINY_SETTINGS = [
  'expert.planner.episodes=2',
  'expert.planner.horizon=8',
  'expert.planner.rollouts=1',
  'expert.imitation.steps=5',
  'expert.dagger.rounds=1',
  'expert.dagger.episodesPerRound=1',
  'expert.dagger.stepsPerRound=3',
  'expert.channels=[4,8,8]',
  'collect.episodes=3',
  'distill.iterations=2',
  'distill.snapshotEvery=1',
  'distill.realBatch=4',
  'students.count=1',
  'students.bc.steps=3',
  'students.bc.batchSize=16',
  'evaluate.episodesId=2',
  'evaluate.episodesOod=2',
] as const;

/** `--set` flags for settings (later ones win). */
export const setFlags = (settings: readonly string[]): string[] => settings.flatMap((s) => ['--set', s]);
