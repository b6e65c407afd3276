/** The page's side of the socket worker (socket-worker.ts): a WebSocket whose bytes arrive off the main thread. */

/** Page to worker: open the socket (once per worker), or send a text message on it. */
export type SocketCommand = { type: 'open'; url: string } | { type: 'send'; text: string };
/** Worker to page: the socket opened, closed, or brought a message (binary ones as a transferred ArrayBuffer). */
export type SocketReport = { type: 'open' } | { type: 'close' } | { type: 'message'; data: ArrayBuffer | string };

export interface RelayedSocket {
  readonly isOpen: () => boolean;
  send(text: string): void;
}

/** Opens `url` in a fresh socket worker; `onReport` sees its open, close and messages. A closed socket's worker ends. */
export function openRelayedSocket(url: string, onReport: (report: SocketReport) => void): RelayedSocket {
  const worker = new Worker(new URL('./socket-worker.ts', import.meta.url), { type: 'module' });
  let open = false;
  worker.onmessage = ({ data: report }: MessageEvent<SocketReport>) => {
    if (report.type === 'open') open = true;
    if (report.type === 'close') {
      open = false;
      worker.terminate();
    }
    onReport(report);
  };
  // A worker that cannot start (its script blocked or missing) would otherwise leave the page connecting forever.
  worker.onerror = (event) => {
    console.warn('DDRL Studio: the socket worker failed', event.message);
    worker.terminate();
    onReport({ type: 'close' });
  };
  const post = (command: SocketCommand) => worker.postMessage(command);
  post({ type: 'open', url });
  return { isOpen: () => open, send: (text) => post({ type: 'send', text }) };
}
