/**
 * What each expert source is and costs, in a sentence: shown by the New experiment
 * form and the README (the times are this 2-core machine's, half-width IMPALA).
 */
import type { ExpertSource } from './experiment.ts';

export const EXPERT_SOURCE_NOTES: Readonly<Record<ExpertSource, string>> = {
  dagger:
    "DAgger from the search planner: the network clones its demonstrations, then plays while the planner labels every state it visits, round after round, half of every batch from its own states (14-17 min with the paper preset here, ~1 min in quick presets; measured with the presets: bigfish 14.0 on training levels and 13.0 on unseen ones, at the paper teacher's level and above it; starpilot 10.4 and 10.9, 6-7x a random policy and 36-42% of the teacher; jumper 7.3 and 5.8, 88% and 100% of the teacher).",
  planner:
    "One-shot cloning of the search planner's demonstrations (no DAgger rounds): minutes, but the network never learns to recover from its own mistakes.",
  ppo: "The paper's expert: PPO from scratch (25M steps by default, what a GPU machine affords; the paper-ppo presets' 1M steps take ~30 min here and stay far below the paper's teachers).",
  reuse: "Another run's expert network (expert.reuseRunId): no training at all.",
  file: "An expert network exported to a file (written by ddrl export-expert RUN --out FILE; expert.file names it): no training, and it outlives its database. The repo keeps the study's experts in docs/study/.",
};
