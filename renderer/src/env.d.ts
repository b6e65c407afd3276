import type { PreloadBridge } from '@shared/api/client.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser, where the WebSocket transport is used. */
    readonly ddrl?: PreloadBridge;
  }
}
