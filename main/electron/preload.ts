// Sandboxed preload: exposes only `invoke` and `subscribe`; the main process validates every argument.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { PreloadBridge } from '@shared/api/client.ts';
import type { ApiEvent } from '@shared/api/events.ts';
import { ipcChannels } from '@shared/api/ipc.ts';

const bridge: PreloadBridge = {
  invoke: (call, input) => ipcRenderer.invoke(ipcChannels.call, call, input),
  subscribe(listener) {
    const forward = (_event: IpcRendererEvent, payload: ApiEvent) => listener(payload);
    ipcRenderer.on(ipcChannels.event, forward);
    return () => ipcRenderer.removeListener(ipcChannels.event, forward);
  },
};

contextBridge.exposeInMainWorld('ddrl', bridge);
