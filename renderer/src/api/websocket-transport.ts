import type { ApiTransport, ConnectionState } from '@shared/api/client.ts';
import type { CallReply } from '@shared/api/contract.ts';
import type { ApiEvent } from '@shared/api/events.ts';
import { hostPaths, serverMessage, tokenParameter, type ClientMessage } from '@shared/api/protocol.ts';
import { unpackMessage } from '@shared/api/wire-message.ts';
import { openRelayedSocket, type RelayedSocket } from './socket-relay.ts';

const maxRetryMs = 5000;

/**
 * The headless host's WebSocket: calls carry ids and resolve on the reply with
 * the same id; a dropped connection fails the pending calls and reconnects with backoff.
 * The socket itself lives in a worker (socket-relay.ts), so big replies arrive off the main thread.
 */
export function websocketTransport(origin: string, token: string): ApiTransport {
  const endpoint = `${origin.replace(/^http/, 'ws')}${hostPaths.webSocket}?${tokenParameter}=${encodeURIComponent(token)}`;
  const pending = new Map<number, (reply: CallReply) => void>();
  const queued: ClientMessage[] = [];
  const eventListeners = new Set<(event: ApiEvent) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let nextId = 0;
  let retryMs = 250;
  let socket: RelayedSocket;

  const setState = (next: ConnectionState) => {
    state = next;
    stateListeners.forEach((listener) => listener(next));
  };

  const onMessage = (data: ArrayBuffer | string) => {
    let raw: unknown;
    try {
      // Replies with frames arrive as binary messages (shared/api/wire-message.ts).
      raw = typeof data === 'string' ? JSON.parse(data) : unpackMessage(data);
    } catch (error) {
      console.warn('DDRL Studio: ignored a host message that could not be read', error);
      return;
    }
    const parsed = serverMessage.safeParse(raw);
    if (!parsed.success) {
      console.warn('DDRL Studio: ignored a host message of unknown shape', raw, parsed.error.issues);
      return;
    }
    const message = parsed.data;
    if (message.type === 'event') {
      eventListeners.forEach((listener) => listener(message.event));
      return;
    }
    const resolve = message.id === null ? undefined : pending.get(message.id);
    if (message.id !== null) pending.delete(message.id);
    resolve?.(message.type === 'result' ? { ok: true, output: message.output } : { ok: false, error: message.error });
  };

  const connect = () => {
    socket = openRelayedSocket(endpoint, (report) => {
      if (report.type === 'message') return onMessage(report.data);
      if (report.type === 'open') {
        retryMs = 250;
        setState('open');
        queued.splice(0).forEach((message) => socket.send(JSON.stringify(message)));
        return;
      }
      for (const resolve of pending.values())
        resolve({ ok: false, error: { code: 'failed', message: 'The connection to the host was lost before it answered.' } });
      pending.clear();
      queued.length = 0;
      setState('closed');
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, maxRetryMs);
    });
  };
  connect();

  return {
    kind: 'websocket',
    invoke(call, input) {
      const message: ClientMessage = { type: 'call', id: nextId++, call, input };
      return new Promise((resolve) => {
        pending.set(message.id, resolve);
        if (socket.isOpen()) socket.send(JSON.stringify(message));
        else queued.push(message);
      });
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onConnection(listener) {
      stateListeners.add(listener);
      listener(state);
      return () => stateListeners.delete(listener);
    },
  };
}
