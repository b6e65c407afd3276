import { ApiClient } from '@shared/api/client.ts';
import { tokenParameter } from '@shared/api/protocol.ts';
import { electronTransport } from './electron-transport.ts';
import { websocketTransport } from './websocket-transport.ts';

/**
 * Picks the transport once at start: the preload bridge inside Electron, else the
 * host's WebSocket with the token from the page URL. Nothing else knows which.
 */
export function connectApi(): ApiClient {
  if (window.ddrl) return new ApiClient(electronTransport(window.ddrl));
  const token = new URLSearchParams(window.location.search).get(tokenParameter);
  if (!token) {
    throw new Error('This page was opened without its access token. Open the URL that `ddrl serve` (or `npm start`) printed; it ends with ?token=...');
  }
  return new ApiClient(websocketTransport(window.location.origin, token));
}
