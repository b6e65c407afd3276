import type { ApiClient } from '@shared/api/client.ts';
import type { ApiEvent } from '@shared/api/events.ts';
import { describeProgress, type ProgressSample, type ProgressText } from './progress.ts';

type Progress = Extract<ApiEvent, { type: 'progress' }>;
type LogLine = Extract<ApiEvent, { type: 'log' }>;

/** Log lines kept per run. */
const LOG_LINES = 200;

/** Live progress of executing runs, from the services' events; `changes` counts status and stage changes so views can re-read. */
export class RunActivity {
  progress = $state<Record<number, Progress>>({});
  changes = $state(0);
  /** Each run's log lines received since this window opened (newest last). */
  logs = $state<Record<number, LogLine[]>>({});
  /** Each running stage's first and latest report, with when they arrived: its rate and time left. */
  private readonly samples = $state<Record<number, { first: ProgressSample; now: ProgressSample }>>({});

  constructor(api: ApiClient) {
    api.onEvent((event) => {
      if (event.type === 'progress') {
        // A new phase means a stage ended and the next began: stored stage states changed.
        const sample = { done: event.done, total: event.total, at: Date.now() };
        if (this.progress[event.runId]?.phase !== event.phase) {
          this.changes++;
          this.samples[event.runId] = { first: sample, now: sample };
        } else this.samples[event.runId] = { first: this.samples[event.runId]?.first ?? sample, now: sample };
        this.progress[event.runId] = event;
      } else if (event.type === 'log' && event.runId !== undefined) {
        this.logs[event.runId] = [...(this.logs[event.runId] ?? []).slice(-(LOG_LINES - 1)), event];
      } else if (event.type === 'run-status') {
        if (event.status !== 'running') {
          delete this.progress[event.runId];
          delete this.samples[event.runId];
        }
        this.changes++;
      }
    });
  }

  /** The running stage's progress in words (whole counts, rate, time left), or null when the run reports none. */
  describe(runId: number): ProgressText | null {
    const sample = this.samples[runId];
    return sample ? describeProgress(sample.first, sample.now) : null;
  }
}
