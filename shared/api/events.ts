import { z } from 'zod';
import { STAGES } from '../config/stages.ts';

/** Progress of a long job (training, collection, distillation), pushed as it advances. */
export const progressEvent = z.object({
  type: z.literal('progress'),
  runId: z.number().int().nonnegative(),
  phase: z.string(),
  done: z.number().nonnegative(),
  total: z.number().nonnegative(),
  message: z.string().optional(),
});

export const logLevel = z.enum(['debug', 'info', 'warn', 'error']);
export type LogLevel = z.infer<typeof logLevel>;

/**
 * One log line from the services; `runId` is set when it belongs to a run, and then `id` (its row in
 * the run's stored log, see `runs.log`) and `stage` (null: a line of the run itself) too.
 */
export const logEvent = z.object({
  type: z.literal('log'),
  level: logLevel,
  source: z.string(),
  message: z.string(),
  time: z.number(),
  runId: z.number().int().nonnegative().optional(),
  id: z.number().int().positive().optional(),
  stage: z.enum(STAGES).nullable().optional(),
});

export const runStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']);
export type RunStatus = z.infer<typeof runStatus>;

/** A run changed state. */
export const runStatusEvent = z.object({
  type: z.literal('run-status'),
  runId: z.number().int().nonnegative(),
  status: runStatus,
  message: z.string().optional(),
});

/** Every event the renderer can receive. Add a kind here and it reaches both transports. */
export const apiEvent = z.discriminatedUnion('type', [progressEvent, logEvent, runStatusEvent]);
export type ApiEvent = z.infer<typeof apiEvent>;
