import type { ApiClient } from '@shared/api/client.ts';
import type { ApiEvent } from '@shared/api/events.ts';

type Progress = Extract<ApiEvent, { type: 'progress' }>;

/** Live progress of executing runs, from the services' events; `changes` counts status and stage changes so views can re-read. */
export class RunActivity {
  progress = $state<Record<number, Progress>>({});
  changes = $state(0);

  constructor(api: ApiClient) {
    api.onEvent((event) => {
      if (event.type === 'progress') {
        // A new phase means a stage ended and the next began: stored stage states changed.
        if (this.progress[event.runId]?.phase !== event.phase) this.changes++;
        this.progress[event.runId] = event;
      } else if (event.type === 'run-status') {
        if (event.status !== 'running') delete this.progress[event.runId];
        this.changes++;
      }
    });
  }
}
