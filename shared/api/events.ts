// Zod's functional 'mini' build: these schemas are in the renderer's first bundle (the WebSocket
// transport checks every host message), where the full build would add 150 kB before the runs list shows.
import * as z from 'zod/mini';
import { STAGES } from '../config/stages.ts';

/** Progress of a long job (training, collection, distillation), pushed as it advances. */
export const progressEvent = z.object({
  type: z.literal('progress'),
  runId: z.int().check(z.nonnegative()),
  phase: z.string(),
  done: z.number().check(z.nonnegative()),
  total: z.number().check(z.nonnegative()),
  message: z.optional(z.string()),
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
  runId: z.optional(z.int().check(z.nonnegative())),
  id: z.optional(z.int().check(z.positive())),
  stage: z.optional(z.nullable(z.enum(STAGES))),
});

export const runStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']);
export type RunStatus = z.infer<typeof runStatus>;

/** A run changed state. */
export const runStatusEvent = z.object({
  type: z.literal('run-status'),
  runId: z.int().check(z.nonnegative()),
  status: runStatus,
  message: z.optional(z.string()),
});

/** Every event the renderer can receive. Add a kind here and it reaches both transports. */
export const apiEvent = z.discriminatedUnion('type', [progressEvent, logEvent, runStatusEvent]);
export type ApiEvent = z.infer<typeof apiEvent>;
