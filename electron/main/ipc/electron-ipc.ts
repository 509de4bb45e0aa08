import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { ipcChannels } from '../../../shared/contract/ipc-channels.ts';
import { SubscriptionRegistry, type Router, type Sender } from './router.ts';
import { electronOriginRule, type SenderPolicy } from './sender-policy.ts';

/**
 * Binds the router to Electron IPC. Only a window's top frame whose URL has exactly the
 * renderer's origin (app://kiops, or the dev server in development) is trusted;
 * subscriptions of a window are cancelled when it goes away.
 */
export function bindElectronIpc(router: Router, senderPolicy: SenderPolicy, rendererOrigin: string): () => void {
  const revoke = senderPolicy.allow(electronOriginRule(rendererOrigin));
  const registries = new Map<number, SubscriptionRegistry>();

  const senderOf = (event: IpcMainEvent | IpcMainInvokeEvent): Sender => {
    const frame = event.senderFrame;
    const isTopFrame = frame !== null && frame === event.sender.mainFrame;
    return { transport: 'electron', origin: isTopFrame ? frame.url : 'subframe' };
  };

  const registryOf = (contents: WebContents) => {
    let registry = registries.get(contents.id);
    if (!registry) {
      const created = new SubscriptionRegistry();
      registries.set(contents.id, created);
      contents.once('destroyed', () => {
        created.cancelAll();
        registries.delete(contents.id);
      });
      registry = created;
    }
    return registry;
  };

  ipcMain.handle(ipcChannels.call, (event, name: unknown, payload: unknown) => router.invoke(name, payload, senderOf(event)));

  ipcMain.on(ipcChannels.subscribe, (event, id: unknown, name: unknown, payload: unknown) => {
    if (typeof id !== 'number') return;
    const contents = event.sender;
    const registry = registryOf(contents);
    const cancel = router.subscribe(name, payload, senderOf(event), {
      event: (value) => {
        if (!contents.isDestroyed()) contents.send(ipcChannels.streamEvent, id, value);
      },
      end: (end) => {
        registry.remove(id);
        if (!contents.isDestroyed()) contents.send(ipcChannels.streamEnd, id, end);
      },
    });
    registry.add(id, cancel);
  });

  ipcMain.on(ipcChannels.cancel, (event, id: unknown) => {
    if (typeof id === 'number') registries.get(event.sender.id)?.cancel(id);
  });

  return () => {
    revoke();
    ipcMain.removeHandler(ipcChannels.call);
    ipcMain.removeAllListeners(ipcChannels.subscribe);
    ipcMain.removeAllListeners(ipcChannels.cancel);
    for (const registry of registries.values()) registry.cancelAll();
  };
}
