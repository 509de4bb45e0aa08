import { EventEmitter } from 'node:events';

// A recording stand-in for the `electron` module: just enough of Electron's main-process API
// for electron/main/index.ts, with every call the shell makes written down in order. The
// built bundle is run against it (vi.mock('electron')), so no Electron binary is needed.

export interface Recorded {
  api: string;
  args: unknown[];
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface StandInOptions {
  userData: string;
  isPackaged: boolean;
  version: string;
}

class StandInFrame {
  url: string;
  constructor(url: string) {
    this.url = url;
  }
}

let nextContentsId = 1;

class StandInWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame = new StandInFrame('about:blank');
  readonly sent: unknown[][] = [];
  windowOpenHandler?: (details: { url: string }) => { action: string };
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  isDestroyed() {
    return false;
  }
  send(...args: unknown[]) {
    this.sent.push(args);
  }
}

export function createElectronStandIn(options: StandInOptions) {
  const calls: Recorded[] = [];
  const record = (api: string, ...args: unknown[]) => calls.push({ api, args });
  let markReady!: () => void;
  const readyPromise = new Promise<void>((resolve) => (markReady = resolve));
  let isReady = false;
  /** Called when a quit is not held back by a before-quit listener: the process would end here. */
  const exitWatchers: Array<() => void> = [];

  class App extends EventEmitter {
    readonly isPackaged = options.isPackaged;
    requestSingleInstanceLock() {
      record('app.requestSingleInstanceLock');
      return true;
    }
    whenReady() {
      return readyPromise;
    }
    isReady() {
      return isReady;
    }
    getPath(name: string) {
      if (name !== 'userData') throw new Error(`stand-in: no path ${name}`);
      return options.userData;
    }
    getVersion() {
      return options.version;
    }
    setPath(name: string, path: string) {
      record('app.setPath', name, path);
    }
    setAboutPanelOptions(panel: unknown) {
      record('app.setAboutPanelOptions', panel);
    }
    quit() {
      record('app.quit');
      let prevented = false;
      this.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (prevented) return;
      record('app.exit');
      for (const watcher of exitWatchers) watcher();
    }
  }
  const app = new App();

  const windows: StandInBrowserWindow[] = [];
  class StandInBrowserWindow extends EventEmitter {
    readonly webContents = new StandInWebContents();
    readonly options: Record<string, unknown>;
    bounds: Rect = { x: 0, y: 0, width: 0, height: 0 };
    loadedUrl?: string;
    maximized = false;
    constructor(windowOptions: Record<string, unknown>) {
      super();
      this.options = windowOptions;
      const { x = 40, y = 30, width = 800, height = 600 } = windowOptions as Partial<Rect>;
      this.bounds = { x, y, width, height };
      windows.push(this);
      record('BrowserWindow.new', windowOptions);
    }
    static getAllWindows() {
      return [...windows];
    }
    async loadURL(url: string) {
      this.loadedUrl = url;
      this.webContents.mainFrame.url = url;
      record('BrowserWindow.loadURL', url);
    }
    async loadFile(path: string) {
      record('BrowserWindow.loadFile', path);
    }
    getNormalBounds() {
      return { ...this.bounds };
    }
    isMaximized() {
      return this.maximized;
    }
    maximize() {
      this.maximized = true;
    }
    isMinimized() {
      return false;
    }
    show() {
      record('BrowserWindow.show');
    }
    restore() {}
    focus() {}
  }

  const schemeHandlers = new Map<string, (request: Request) => Promise<Response> | Response>();
  const protocol = {
    registerSchemesAsPrivileged(schemes: unknown) {
      record('protocol.registerSchemesAsPrivileged', schemes, { appReady: isReady });
    },
    handle(scheme: string, handler: (request: Request) => Promise<Response> | Response) {
      schemeHandlers.set(scheme, handler);
      record('protocol.handle', scheme);
    },
  };

  type PermissionHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
  type HeadersListener = (details: { url: string; responseHeaders?: Record<string, string[]> }, callback: (response: unknown) => void) => void;
  const defaultSession: {
    permissionRequestHandler?: PermissionHandler;
    headersListener?: HeadersListener;
    setPermissionRequestHandler(handler: PermissionHandler): void;
    webRequest: { onHeadersReceived(listener: HeadersListener): void };
  } = {
    setPermissionRequestHandler(handler) {
      defaultSession.permissionRequestHandler = handler;
    },
    webRequest: {
      onHeadersReceived(listener) {
        defaultSession.headersListener = listener;
      },
    },
  };

  const invokeHandlers = new Map<string, (...args: unknown[]) => unknown>();
  const ipcMain = Object.assign(new EventEmitter(), {
    handle(channel: string, handler: (...args: unknown[]) => unknown) {
      invokeHandlers.set(channel, handler);
      record('ipcMain.handle', channel);
    },
    removeHandler(channel: string) {
      invokeHandlers.delete(channel);
      record('ipcMain.removeHandler', channel);
    },
  });

  const menus: { template: unknown }[] = [];
  const Menu = {
    buildFromTemplate(template: unknown) {
      const menu = { template };
      menus.push(menu);
      return menu;
    },
    setApplicationMenu(menu: unknown) {
      record('Menu.setApplicationMenu', menu);
    },
  };

  const nativeTheme = { themeSource: 'system' as string };
  const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
  const shell = {
    async openExternal(url: string) {
      record('shell.openExternal', url);
    },
  };

  const module = { app, BrowserWindow: StandInBrowserWindow, Menu, nativeTheme, protocol, screen, session: { defaultSession }, shell, ipcMain };

  return {
    module,
    calls,
    windows,
    schemeHandlers,
    invokeHandlers,
    defaultSession,
    nativeTheme,
    /** Resolves app.whenReady(), as Electron does once it has started. */
    ready() {
      isReady = true;
      markReady();
    },
    onExit(watcher: () => void) {
      exitWatchers.push(watcher);
    },
    /** An IPC event as Electron builds it, from a window's top frame (or a sub-frame) at `url`. */
    ipcEvent(window: StandInBrowserWindow, url: string, frame: 'top' | 'sub' = 'top') {
      window.webContents.mainFrame.url = frame === 'top' ? url : window.webContents.mainFrame.url;
      return { sender: window.webContents, senderFrame: frame === 'top' ? window.webContents.mainFrame : new StandInFrame(url) };
    },
    called(api: string) {
      return calls.filter((call) => call.api === api);
    },
  };
}

export type ElectronStandIn = ReturnType<typeof createElectronStandIn>;
