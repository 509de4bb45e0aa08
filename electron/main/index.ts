import { app, BrowserWindow, Menu, nativeTheme, protocol, screen, session, shell } from 'electron';
import { join } from 'node:path';
import { createKiopsCore, type KiopsCore } from './composition.ts';
import { bindElectronIpc } from './ipc/electron-ipc.ts';
import { contentSecurityPolicy } from './web/content-security-policy.ts';
import { killChildProcessGroups } from './web/process-groups.ts';
import { applicationMenuTemplate } from './shell/application-menu.ts';
import { appSchemeRegistration, appScheme, createAppSchemeHandler } from './shell/app-scheme.ts';
import { startAutoUpdate } from './shell/auto-update.ts';
import { rendererLocation } from './shell/renderer-location.ts';
import { readUpdateChannel, updateSettingsFileName } from './shell/update-settings.ts';
import { readWindowBounds, saveWindowBounds } from './shell/window-bounds.ts';

// The Electron shell only: one hardened window, its menu and the IPC binding. Everything else
// lives in the composition root, which browser mode and the tests build in plain Node.

const rendererRoot = join(import.meta.dirname, '../renderer');
// test:electron runs the unpackaged app on a throwaway data folder; a packaged app ignores this
const testUserData = process.env['KIOPS_USER_DATA_DIR'];
if (!app.isPackaged && testUserData) app.setPath('userData', testUserData);
const renderer = rendererLocation({ isPackaged: app.isPackaged, devServerUrl: process.env['ELECTRON_RENDERER_URL'] });

// must happen before `ready`: standard + secure gives app://kiops a real origin for module scripts
protocol.registerSchemesAsPrivileged([appSchemeRegistration]);

function isExternalDocsLink(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && ['kubernetes.io', 'docs.docker.com', 'docs.podman.io'].includes(parsed.hostname);
  } catch {
    return false;
  }
}

function createMainWindow(): BrowserWindow {
  const boundsFile = join(app.getPath('userData'), 'window-bounds.json');
  const { maximized, ...bounds } = readWindowBounds(
    boundsFile,
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    ...bounds,
    minWidth: 900,
    minHeight: 600,
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
  window.once('ready-to-show', () => {
    if (maximized) window.maximize();
    window.show();
  });
  window.on('close', () => saveWindowBounds(boundsFile, { ...window.getNormalBounds(), maximized: window.isMaximized() }));
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalDocsLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.on('will-redirect', (event) => event.preventDefault());
  void window.loadURL(renderer.url);
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
    // then whatever the core started and kept no handle on (kubectl, exec plugins, VPN helpers)
    // dies with the app, as in browser mode; Electron's own helper processes are left to Electron
    void running.core
      .close()
      .finally(() => killChildProcessGroups('SIGKILL', process.pid, { exceptExecutable: process.execPath }))
      .finally(() => app.quit());
  });

  await app.whenReady();
  protocol.handle(appScheme, createAppSchemeHandler(rendererRoot));
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  // the dev server's responses get the same CSP header app:// responses carry
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()] } });
  });
  app.setAboutPanelOptions({ applicationName: 'KIOPS Desktop', applicationVersion: app.getVersion(), version: app.getVersion() });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      applicationMenuTemplate({
        appName: 'KIOPS Desktop',
        platform: process.platform,
        isDevelopment: !app.isPackaged,
        openExternal: (url) => void shell.openExternal(url),
      }),
    ),
  );
  const dataDir = app.getPath('userData');
  const core = await createKiopsCore({
    dataDir,
    shell: 'electron',
    version: app.getVersion(),
    setWindowTheme: (theme) => {
      nativeTheme.themeSource = theme;
    },
  });
  running.core = core;
  running.unbind = bindElectronIpc(core.router, core.senderPolicy, renderer.origin);
  core.windowOpening();
  createMainWindow();
  void startAutoUpdate({ channel: readUpdateChannel(join(dataDir, updateSettingsFileName)), isPackaged: app.isPackaged, logger: console });
}

void main();
