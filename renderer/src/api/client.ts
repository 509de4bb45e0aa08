import { createClient, type KiopsClient } from '../../../shared/contract/client.ts';
import type { KiopsBridge, Transport } from '../../../shared/contract/transport.ts';
import { createElectronTransport } from './electron-transport.ts';
import { guardProductionCalls } from './production-guard.ts';
import { createWebSocketTransport } from './websocket-transport.ts';

declare global {
  interface Window {
    kiops?: KiopsBridge;
  }
}

const tokenKey = 'kiops.browser-token';

const disconnectListeners = new Set<(reason: string) => void>();

/** Told when the window loses its connection to main (browser mode's server went away). */
export function onDisconnect(listener: (reason: string) => void): () => void {
  disconnectListeners.add(listener);
  return () => disconnectListeners.delete(listener);
}

/** Whether this browser-mode tab was opened with a token (false: the URL lacked `#token=…`). */
export let hasBrowserToken = true;

/**
 * Chooses the transport at boot: the Electron preload bridge when it is there, otherwise
 * browser mode. The browser-mode token arrives in the URL fragment (never sent to a server),
 * is kept for this tab only and removed from the address bar.
 */
export function chooseTransport(): Transport {
  if (window.kiops) return createElectronTransport(window.kiops);
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const fromUrl = fragment.get('token');
  if (fromUrl) {
    sessionStorage.setItem(tokenKey, fromUrl);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  const token = fromUrl ?? sessionStorage.getItem(tokenKey) ?? '';
  hasBrowserToken = token !== '';
  const wsUrl = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/ipc`;
  return createWebSocketTransport(wsUrl, token, (reason) => {
    for (const listener of disconnectListeners) listener(reason);
  });
}

export const api: KiopsClient = guardProductionCalls(createClient(chooseTransport()));
