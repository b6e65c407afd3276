/** The stages of a run, in the order they execute; each is resumable on its own. */
export const STAGES = ['expert', 'collect', 'baselines', 'distill', 'students', 'evaluate'] as const;
export type StageName = (typeof STAGES)[number];

/** 'interrupted': the process that queued or executed it ended (killed, crashed); resumable like 'cancelled'. */
export const RUN_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A run that can be cancelled: it waits or executes. */
export const isCancellable = (status: RunStatus): boolean => status === 'queued' || status === 'running';
/** A run that `resume` continues from its last checkpoint (finished stages kept). */
export const isResumable = (status: RunStatus): boolean => status === 'cancelled' || status === 'failed' || status === 'interrupted';

export const STAGE_STATUSES = ['pending', 'running', 'done', 'failed', 'cancelled'] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];
