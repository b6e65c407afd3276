/**
 * How a learning rate moves over a training run: 'constant', or 'cosine' from the base rate down
 * to 0 at the last step (Loshchilov & Hutter's SGDR without restarts; CleanRL anneals its PPO's rate
 * likewise): for a fixed step budget the late, small steps settle the loss lower.
 */
export const LEARNING_RATE_SCHEDULES = ['constant', 'cosine'] as const;
export type LearningRateSchedule = (typeof LEARNING_RATE_SCHEDULES)[number];
