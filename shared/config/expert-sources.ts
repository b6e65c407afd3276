/**
 * What each expert source is and costs, in a sentence: shown by the New experiment
 * form and the README (the times are this 2-core machine's, half-width IMPALA).
 */
export const EXPERT_SOURCE_NOTES: Readonly<Record<'dagger' | 'planner' | 'ppo' | 'reuse', string>> = {
  dagger:
    "DAgger from the search planner: the network clones its demonstrations, then plays while the planner labels every state it visits, round after round (14-17 min with the paper preset here, 25 for starpilot's four rounds, ~1 min in quick presets; measured with the presets' advantage regression: bigfish 9.3 on training levels and 7.7 on unseen ones, 70% of the paper teacher and above it; jumper 7.7, at the teacher's level, though on unseen levels indistinguishable from a random policy; starpilot 7.8 and 8.0, 5x a random policy and 27-31% of the teacher).",
  planner:
    "One-shot cloning of the search planner's demonstrations (no DAgger rounds): minutes, but the network never learns to recover from its own mistakes.",
  ppo: "The paper's expert: PPO from scratch (25M steps by default, what a GPU machine affords; the paper-ppo presets' 1M steps take ~30 min here and stay far below the paper's teachers).",
  reuse: "Another run's expert network (expert.reuseRunId): no training at all.",
};
