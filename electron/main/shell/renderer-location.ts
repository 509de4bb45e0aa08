import { appIndexUrl, appOrigin } from './app-scheme.ts';
import { originOf } from '../ipc/sender-policy.ts';

export interface RendererLocation {
  /** What the window loads. */
  url: string;
  /** The only origin whose top frame main trusts as a sender. */
  origin: string;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Where the window's renderer comes from. electron-vite's dev server (ELECTRON_RENDERER_URL)
 * only counts in an unpackaged app and only on loopback http: whoever can set a packaged app's
 * environment must not be able to make a remote page the trusted sender.
 */
export function rendererLocation(options: { isPackaged: boolean; devServerUrl: string | undefined }): RendererLocation {
  const dev = options.isPackaged ? undefined : devServerLocation(options.devServerUrl);
  return dev ?? { url: appIndexUrl, origin: appOrigin };
}

function devServerLocation(devServerUrl: string | undefined): RendererLocation | undefined {
  if (devServerUrl === undefined || devServerUrl === '') return undefined;
  const origin = originOf(devServerUrl);
  if (origin === undefined) return undefined;
  const { protocol, hostname } = new URL(devServerUrl);
  if (protocol !== 'http:' || !loopbackHosts.has(hostname)) return undefined;
  return { url: devServerUrl, origin };
}
