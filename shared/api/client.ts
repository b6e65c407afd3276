import { ApiError } from './errors.ts';
import type { CallInput, CallName, CallOutput, CallReply } from './contract.ts';
import type { ApiEvent } from './events.ts';

/** `connecting` until the first connection, `closed` while reconnecting. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/**
 * What a transport provides: send one call and receive its reply, and deliver
 * events. The Electron preload bridge and the WebSocket client both implement it.
 */
export interface ApiTransport {
  readonly kind: 'electron' | 'websocket';
  invoke(call: string, input: unknown): Promise<CallReply>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
  /** Calls the listener with the current state now and on every change. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

/** What the Electron preload exposes as `window.ddrl` (the main process is always connected). */
export type PreloadBridge = Pick<ApiTransport, 'invoke' | 'subscribe'>;

/** Typed calls over any transport: a failed reply becomes a thrown {@link ApiError}. */
export class ApiClient {
  constructor(readonly transport: ApiTransport) {}

  async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    const reply = await this.transport.invoke(name, input);
    if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message);
    return reply.output as CallOutput<N>;
  }

  onEvent(listener: (event: ApiEvent) => void): () => void {
    return this.transport.subscribe(listener);
  }
}
