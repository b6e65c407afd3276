/**
 * The host's WebSocket, owned by a worker thread. Receiving a reply with frames
 * (a 1.9 MB snapshot) costs Chromium's main thread 20-50 ms per message; here it
 * costs the worker, and the bytes reach the page as a transferred ArrayBuffer
 * (no copy). The worker only relays: what the messages mean stays in the transport.
 */
import type { SocketCommand, SocketReport } from './socket-relay.ts';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<SocketCommand>) => void) | null;
  postMessage(m: SocketReport, transfer?: Transferable[]): void;
};
let socket: WebSocket | null = null;

scope.onmessage = ({ data: command }) => {
  if (command.type === 'send') {
    socket?.send(command.text);
    return;
  }
  socket = new WebSocket(command.url);
  socket.binaryType = 'arraybuffer';
  socket.addEventListener('open', () => scope.postMessage({ type: 'open' }));
  socket.addEventListener('close', () => scope.postMessage({ type: 'close' }));
  socket.addEventListener('message', ({ data }: MessageEvent<ArrayBuffer | string>) =>
    typeof data === 'string' ? scope.postMessage({ type: 'message', data }) : scope.postMessage({ type: 'message', data }, [data]),
  );
};
