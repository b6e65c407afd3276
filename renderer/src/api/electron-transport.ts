import type { ApiTransport, PreloadBridge } from '@shared/api/client.ts';

/** The preload's contextBridge API: always connected while the window lives. */
export function electronTransport(bridge: PreloadBridge): ApiTransport {
  return {
    kind: 'electron',
    invoke: (call, input) => bridge.invoke(call, input),
    subscribe: (listener) => bridge.subscribe(listener),
    onConnection: (listener) => {
      listener('open');
      return () => {};
    },
  };
}
