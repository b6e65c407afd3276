import { clientMessage, type ServerMessage } from '@shared/api/protocol.ts';
import { describeIssues } from '@shared/api/errors.ts';
import type { WebSocket } from 'ws';
import type { AppServices } from '../services/app-services.ts';

function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

/** The id of a message that failed validation, when it has a usable one, so the error reply can carry it. */
function salvageId(value: unknown): number | null {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null;
}

/**
 * Serves one WebSocket client: each call message is dispatched and answered with
 * its id; every service event is pushed. A malformed message gets an error reply
 * naming the problem and the connection stays open.
 */
export function serveWebSocket(socket: WebSocket, services: AppServices): void {
  const unsubscribe = services.events.subscribe((event) => send(socket, { type: 'event', event }));
  socket.on('close', unsubscribe);
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      send(socket, { type: 'error', id: null, error: { code: 'bad_message', message: 'Binary messages are not accepted; send JSON text.' } });
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(String(data));
    } catch (error) {
      send(socket, { type: 'error', id: null, error: { code: 'bad_message', message: `Message is not valid JSON: ${(error as Error).message}` } });
      return;
    }
    const parsed = clientMessage.safeParse(raw);
    if (!parsed.success) {
      const expected = 'expected {"type":"call","id":<integer>=0>,"call":"<name>","input":{...}}';
      send(socket, {
        type: 'error',
        id: salvageId(raw),
        error: { code: 'bad_message', message: `Malformed message (${describeIssues(parsed.error, 'message')}); ${expected}.` },
      });
      return;
    }
    const { id, call, input } = parsed.data;
    void services.dispatch(call, input).then((reply) => {
      send(socket, reply.ok ? { type: 'result', id, output: reply.output } : { type: 'error', id, error: reply.error });
    });
  });
}
