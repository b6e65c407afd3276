import type { AboutInfo } from '@shared/api/about.ts';
import type { ApiClient, ConnectionState } from '@shared/api/client.ts';

/** What the shell and the views share: the API client, the connection and the about record. */
export class AppState {
  connection = $state<ConnectionState>('connecting');
  about = $state<AboutInfo | null>(null);
  aboutError = $state<string | null>(null);
  loadingAbout = $state(false);

  constructor(readonly api: ApiClient) {
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
