/** The only four Electron IPC channels; contract names travel inside them. */
export const ipcChannels = {
  call: 'kiops:call',
  subscribe: 'kiops:subscribe',
  cancel: 'kiops:cancel',
  streamEvent: 'kiops:stream-event',
  streamEnd: 'kiops:stream-end',
} as const;
