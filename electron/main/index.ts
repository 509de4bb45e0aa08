import { app, BrowserWindow, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createKiopsCore, type KiopsCore } from './composition.ts';
import { bindElectronIpc } from './ipc/electron-ipc.ts';
import { contentSecurityPolicy } from './web/content-security-policy.ts';

// The Electron shell only: one hardened window and the IPC binding. Everything else lives in
// the composition root, which browser mode and the tests build in plain Node.

const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const rendererIndex = join(import.meta.dirname, '../renderer/index.html');
const rendererUrlPrefix = devServerUrl ?? pathToFileURL(rendererIndex).href;

function isExternalDocsLink(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && ['kubernetes.io', 'docs.docker.com', 'docs.podman.io'].includes(parsed.hostname);
  } catch {
    return false;
  }
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    show: false,
    title: 'KIOPS Desktop',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalDocsLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.on('will-redirect', (event) => event.preventDefault());
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(rendererIndex);
  return window;
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const running: { core?: KiopsCore; unbind?: () => void } = {};

  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.on('window-all-closed', () => app.quit());
  // Tunnels, SSH clients and watches must be taken down before the process goes: hold the quit
  // until the core has closed, then quit for real.
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing || !running.core) return;
    event.preventDefault();
    closing = true;
    running.unbind?.();
    void running.core.close().finally(() => app.quit());
  });

  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()] } });
  });
  const core = await createKiopsCore({ dataDir: app.getPath('userData'), shell: 'electron', version: app.getVersion() });
  running.core = core;
  running.unbind = bindElectronIpc(core.router, core.senderPolicy, rendererUrlPrefix);
  createMainWindow();
}

void main();
