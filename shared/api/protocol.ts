// Zod's 'mini' build, as in events.ts: the renderer checks every host message with these.
import * as z from 'zod/mini';
import { apiEvent } from './events.ts';
import { apiErrorBody } from './errors.ts';

/**
 * The WebSocket protocol of the headless host. The client sends calls with an id;
 * the host answers each with a `result` or an `error` carrying the same id, and
 * pushes `event`s. An error about a message whose id could not be read has `id: null`.
 */
export const clientMessage = z.object({
  type: z.literal('call'),
  id: z.int().check(z.nonnegative()),
  call: z.string().check(z.minLength(1)),
  input: z.unknown(),
});
export type ClientMessage = z.infer<typeof clientMessage>;

export const serverMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.int().check(z.nonnegative()), output: z.unknown() }),
  z.object({ type: z.literal('error'), id: z.nullable(z.int().check(z.nonnegative())), error: apiErrorBody }),
  z.object({ type: z.literal('event'), event: apiEvent }),
]);
export type ServerMessage = z.infer<typeof serverMessage>;

/** Where the host serves the WebSocket and the HTTP call endpoint. */
export const hostPaths = {
  webSocket: '/api/ws',
  callPrefix: '/api/call/',
} as const;

/** The query parameter (and Bearer token) that authorises a client of the host. */
export const tokenParameter = 'token';
