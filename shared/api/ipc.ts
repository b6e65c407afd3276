/** Channel names shared by the Electron main process and the preload bridge. */
export const ipcChannels = {
  call: 'ddrl:call',
  event: 'ddrl:event',
} as const;
