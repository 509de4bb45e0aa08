import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { callNames, streamNames } from '../../shared/contract/index.ts';
import type { KiopsBridge } from '../../shared/contract/transport.ts';
import { ipcChannels } from '../../shared/contract/ipc-channels.ts';

// The allow-list is the contract itself: nothing outside it is forwarded. Validation is not
// done here (zod runs in main, which trusts nothing); this only keeps the bridge narrow.
const calls = new Set<string>(callNames);
const streams = new Set<string>(streamNames);
const refused = (name: string) => ({ ok: false, error: { code: 'UNKNOWN_CALL', message: `"${name}" is not a KIOPS call.` } });

let nextStreamId = 1;
const streamListeners = new Map<number, { onEvent(payload: unknown): void; onEnd(end: unknown): void }>();

ipcRenderer.on(ipcChannels.streamEvent, (_event: IpcRendererEvent, id: number, payload: unknown) => {
  streamListeners.get(id)?.onEvent(payload);
});
ipcRenderer.on(ipcChannels.streamEnd, (_event: IpcRendererEvent, id: number, end: unknown) => {
  streamListeners.get(id)?.onEnd(end);
  streamListeners.delete(id);
});

const bridge: KiopsBridge = {
  invoke(name, payload) {
    if (!calls.has(name)) return Promise.resolve(refused(name));
    return ipcRenderer.invoke(ipcChannels.call, name, payload);
  },
  subscribe(name, payload, onEvent, onEnd) {
    if (!streams.has(name)) {
      onEnd({ reason: 'error', error: refused(name).error });
      return () => {};
    }
    const id = nextStreamId++;
    streamListeners.set(id, { onEvent, onEnd });
    ipcRenderer.send(ipcChannels.subscribe, id, name, payload);
    return () => {
      if (!streamListeners.delete(id)) return;
      ipcRenderer.send(ipcChannels.cancel, id);
      onEnd({ reason: 'cancelled' });
    };
  },
};

contextBridge.exposeInMainWorld('kiops', bridge);
