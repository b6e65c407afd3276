import type { AboutInfo } from '@shared/api/about.ts';
import type { ApiClient, ConnectionState } from '@shared/api/client.ts';
import { RunActivity } from './run-activity.svelte.ts';
import { Router } from './router.svelte.ts';

/** What the shell and the views share: the API client, the connection, the about record, the route and live run activity. */
export class AppState {
  connection = $state<ConnectionState>('connecting');
  about = $state<AboutInfo | null>(null);
  aboutError = $state<string | null>(null);
  loadingAbout = $state(false);
  readonly router = new Router();
  readonly activity: RunActivity;

  constructor(readonly api: ApiClient) {
    this.activity = new RunActivity(api);
    api.transport.onConnection((state) => {
      const reconnected = state === 'open' && this.connection === 'closed';
      this.connection = state;
      if (reconnected) void this.refreshAbout();
    });
  }

  async refreshAbout(): Promise<void> {
    this.loadingAbout = true;
    try {
      this.about = await this.api.call('about.get', {});
      this.aboutError = null;
    } catch (error) {
      this.aboutError = error instanceof Error ? error.message : String(error);
    } finally {
      this.loadingAbout = false;
    }
  }
}
