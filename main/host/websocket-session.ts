import { clientMessage, type ClientMessage, type ServerMessage } from '@shared/api/protocol.ts';
import { describeIssues } from '@shared/api/errors.ts';
import { packMessage } from '@shared/api/wire-message.ts';
import type { WebSocket } from 'ws';
import type { AppServices } from '../services/app-services.ts';

/** How much one client may have in the works; past these its messages are not read until it catches up. */
export interface ClientLimits {
  /** Calls dispatched and not yet answered. */
  readonly callsInFlight: number;
  /** Bytes of replies and events queued for the client but not yet written to its socket. */
  readonly unsentBytes: number;
  /** A client this far behind is not reading at all: it is disconnected. */
  readonly dropAfterBytes: number;
}

export const defaultClientLimits: ClientLimits = { callsInFlight: 8, unsentBytes: 16 * 1024 * 1024, dropAfterBytes: 256 * 1024 * 1024 };

/** The id of a message that failed validation, when it has a usable one, so the error reply can carry it. */
function salvageId(value: unknown): number | null {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null;
}

/**
 * Serves one WebSocket client: each call message is dispatched and answered with
 * its id; every service event is pushed. A malformed message gets an error reply
 * naming the problem and the connection stays open.
 *
 * Backpressure: while the client has `callsInFlight` calls unanswered or
 * `unsentBytes` not yet sent, its socket is not read (TCP holds the sender
 * back), so a client that floods calls or never reads its replies cannot grow
 * the host; one that falls `dropAfterBytes` behind is disconnected. When it
 * leaves, its calls that have not started are dropped.
 */
export function serveWebSocket(
  socket: WebSocket,
  services: AppServices,
  limits: ClientLimits = defaultClientLimits,
  log: (line: string) => void = () => {},
): void {
  let inFlight = 0;
  let unsent = 0;
  // Calls read past the limit (a paused socket still delivers what it had read) wait here.
  const backlog: ClientMessage[] = [];
  const busy = (): boolean => inFlight >= limits.callsInFlight || unsent > limits.unsentBytes;
  /** Starts waiting calls while the client keeps up, and reads its socket only then. */
  const throttle = (): void => {
    while (!busy() && backlog.length > 0) start(backlog.shift()!);
    if (busy() && !socket.isPaused) socket.pause();
    else if (!busy() && socket.isPaused) socket.resume();
  };
  const send = (message: ServerMessage): void => {
    if (socket.readyState !== socket.OPEN) return;
    // Frames go as a binary attachment, not base64 in the JSON (shared/api/wire-message.ts).
    const packed = packMessage(message);
    const size = packed.length;
    unsent += size;
    if (unsent > limits.dropAfterBytes) {
      log(`disconnected a client that did not read ${unsent} bytes of replies and events`);
      socket.terminate();
      return;
    }
    socket.send(packed, () => {
      unsent -= size;
      throttle();
    });
    throttle();
  };

  const unsubscribe = services.events.subscribe((event) => send({ type: 'event', event }));
  // Calls of a client that left and have not started yet are dropped.
  const gone = new AbortController();
  socket.on('close', () => {
    unsubscribe();
    gone.abort();
    backlog.length = 0;
  });
  const start = ({ id, call, input }: ClientMessage): void => {
    inFlight++;
    void services.dispatch(call, input, gone.signal).then((reply) => {
      inFlight--;
      send(reply.ok ? { type: 'result', id, output: reply.output } : { type: 'error', id, error: reply.error });
      throttle();
    });
  };
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      send({ type: 'error', id: null, error: { code: 'bad_message', message: 'Binary messages are not accepted; send JSON text.' } });
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(String(data));
    } catch (error) {
      send({ type: 'error', id: null, error: { code: 'bad_message', message: `Message is not valid JSON: ${(error as Error).message}` } });
      return;
    }
    const parsed = clientMessage.safeParse(raw);
    if (!parsed.success) {
      const expected = 'expected {"type":"call","id":<integer>=0>,"call":"<name>","input":{...}}';
      send({
        type: 'error',
        id: salvageId(raw),
        error: { code: 'bad_message', message: `Malformed message (${describeIssues(parsed.error, 'message')}); ${expected}.` },
      });
      return;
    }
    // A call read while the client is busy (unanswered calls, or replies it has not read) waits.
    backlog.push(parsed.data);
    throttle();
  });
}
