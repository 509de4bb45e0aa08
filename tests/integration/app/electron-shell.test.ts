import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ipcChannels } from '../../../shared/contract/ipc-channels.ts';
import { builtRendererDir, ensureAppBuilt } from '../../support/electron/app-build.ts';

// The built main bundle (out/main/index.js) run against a recording stand-in for `electron`:
// what the shell asks of Electron, and what its app:// handler and IPC binding answer.
// The app is packaged here and someone set ELECTRON_RENDERER_URL to a remote page.

const standIn = await vi.hoisted(async () => {
  const { createElectronStandIn } = await import('../../support/electron/electron-stand-in.ts');
  const { mkdtempSync: makeTemp } = await import('node:fs');
  const { tmpdir: temp } = await import('node:os');
  const { join: joinPath } = await import('node:path');
  process.env['ELECTRON_RENDERER_URL'] = 'http://evil.example:5173/';
  process.env['KIOPS_USER_DATA_DIR'] = '/tmp/somewhere-else';
  return createElectronStandIn({ userData: makeTemp(joinPath(temp(), 'kiops-shell-')), isPackaged: true, version: '9.8.7' });
});
vi.mock('electron', () => standIn.module);

const userData = standIn.module.app.getPath('userData');
type Template = { label?: string; role?: string; type?: string; submenu?: Template[]; click?: () => void };

function appScheme() {
  const handler = standIn.schemeHandlers.get('app');
  if (!handler) throw new Error('no app:// handler registered');
  return (url: string, method = 'GET') => Promise.resolve(handler(new Request(url, { method })));
}

function mainWindow() {
  const [window] = standIn.windows;
  if (!window) throw new Error('no window created');
  return window;
}

async function invokeFrom(url: string, name: string, payload: unknown, frame: 'top' | 'sub' = 'top') {
  const handler = standIn.invokeHandlers.get(ipcChannels.call);
  if (!handler) throw new Error('no IPC call handler bound');
  return (await handler(standIn.ipcEvent(mainWindow(), url, frame), name, payload)) as { ok: boolean; error?: { code: string }; value?: Record<string, unknown> };
}

function menuTemplate(): Template[] {
  const [last] = standIn.called('Menu.setApplicationMenu').slice(-1);
  return (last?.args[0] as { template: Template[] }).template;
}

const roles = (items: Template[] | undefined) => (items ?? []).map((item) => item.role).filter(Boolean);

describe('Electron shell (built main bundle, stand-in electron)', () => {
  let schemeRegisteredBeforeReady: unknown;

  beforeAll(async () => {
    const bundle = await ensureAppBuilt();
    await import(bundle);
    schemeRegisteredBeforeReady = standIn.called('protocol.registerSchemesAsPrivileged')[0]?.args;
    standIn.ready();
    await vi.waitFor(() => expect(standIn.windows).toHaveLength(1), { timeout: 30_000, interval: 50 });
  }, 180_000);

  afterAll(() => {
    delete process.env['ELECTRON_RENDERER_URL'];
    delete process.env['KIOPS_USER_DATA_DIR'];
    rmSync(userData, { recursive: true, force: true });
  });

  it('registers app:// as a standard, secure scheme before the app is ready', () => {
    expect(schemeRegisteredBeforeReady).toEqual([[{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }], { appReady: false }]);
    expect(standIn.called('protocol.handle').map((call) => call.args[0])).toEqual(['app']);
  });

  it('opens one hardened window on app://kiops even though ELECTRON_RENDERER_URL names a remote page', () => {
    const window = mainWindow();
    expect(window.options['webPreferences']).toEqual(
      expect.objectContaining({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false }),
    );
    const preload = (window.options['webPreferences'] as { preload: string }).preload;
    expect(preload.endsWith(join('out', 'preload', 'index.cjs'))).toBe(true);
    expect(existsSync(preload)).toBe(true);
    expect(window.loadedUrl).toBe('app://kiops/index.html');
    // test:electron's data-folder override is for unpackaged runs only
    expect(standIn.called('app.setPath')).toEqual([]);
    expect(standIn.called('BrowserWindow.loadFile')).toEqual([]);
  });

  it('denies window.open (opening only the known documentation sites outside), navigation and permission requests', () => {
    const contents = mainWindow().webContents;
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'https://kubernetes.io/docs/concepts/' })).toEqual({ action: 'deny' });
    expect(standIn.called('shell.openExternal').map((call) => call.args[0])).toEqual(['https://kubernetes.io/docs/concepts/']);
    for (const event of ['will-navigate', 'will-redirect']) {
      const preventDefault = vi.fn();
      contents.emit(event, { preventDefault }, 'https://evil.example/');
      expect(preventDefault, event).toHaveBeenCalled();
    }
    const granted: boolean[] = [];
    standIn.defaultSession.permissionRequestHandler?.(contents, 'media', (answer) => granted.push(answer));
    expect(granted).toEqual([false]);
  });

  it('serves the renderer with the right types and the CSP header on every response', async () => {
    const fetchApp = appScheme();
    const assets = readdirSync(join(builtRendererDir, 'assets'));
    const cases = [
      ['app://kiops/index.html', 'text/html; charset=utf-8'],
      ['app://kiops/favicon.svg', 'image/svg+xml'],
      ...assets.filter((name) => name.endsWith('.js')).map((name) => [`app://kiops/assets/${name}`, 'text/javascript; charset=utf-8']),
      ...assets.filter((name) => name.endsWith('.css')).map((name) => [`app://kiops/assets/${name}`, 'text/css; charset=utf-8']),
    ];
    expect(cases.length).toBeGreaterThanOrEqual(4);
    for (const [url, type] of cases) {
      const response = await fetchApp(url!);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type'), url).toBe(type);
      expect(response.headers.get('x-content-type-options'), url).toBe('nosniff');
    }
    const index = await fetchApp('app://kiops/index.html');
    expect(await index.text()).toBe(readFileSync(join(builtRendererDir, 'index.html'), 'utf8'));
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    // the dev server's responses (http) get the same header through the session
    const answered: unknown[] = [];
    standIn.defaultSession.headersListener?.({ url: 'http://localhost:5173/', responseHeaders: { 'content-type': ['text/html'] } }, (response) => answered.push(response));
    expect(answered).toEqual([{ responseHeaders: { 'content-type': ['text/html'], 'Content-Security-Policy': [csp] } }]);
    const head = await fetchApp('app://kiops/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('refuses every way of climbing out of the renderer folder, with the CSP header still on', async () => {
    const fetchApp = appScheme();
    // out/main/index.js and the repository's package.json lie outside out/renderer
    const targets = ['main/index.js', '../package.json'];
    const dots = ['..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%252e%252e'];
    const slashes = ['/', '%2f', '%2F', '%5c', '%5C', '\\', '%252f'];
    const urls: string[] = [];
    for (const target of targets)
      for (const dot of dots)
        for (const slash of slashes) {
          const climb = target.startsWith('../') ? `${dot}${slash}${dot}${slash}${target.slice(3)}` : `${dot}${slash}${target}`;
          urls.push(`app://kiops/${climb.replaceAll('/', slash)}`, `app://kiops/assets/${dot}${slash}${climb.replaceAll('/', slash)}`);
        }
    urls.push('app://kiops/%00index.html', 'app://kiops/index.html%00.js', 'app://kiops//etc/passwd', 'app://kiops/%2fetc%2fpasswd', 'app://kiops/assets', 'app://kiops/%E0%A4%A');
    const mainBundle = readFileSync(join(builtRendererDir, '..', 'main', 'index.js'), 'utf8').slice(0, 200);
    for (const url of urls) {
      const response = await fetchApp(url);
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-security-policy'), url).toContain("default-src 'self'");
      expect(await response.text(), url).not.toContain(mainBundle);
    }
  });

  it('answers only its own host and only GET/HEAD', async () => {
    const fetchApp = appScheme();
    for (const url of ['app://kiops.evil/index.html', 'app://evil/index.html', 'app://kiops:8080/index.html'])
      expect((await fetchApp(url)).status, url).toBe(404);
    const post = await fetchApp('app://kiops/index.html', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('trusts IPC only from the top frame at exactly app://kiops', async () => {
    const trusted = await invokeFrom('app://kiops/index.html#/services', 'app.info', {});
    expect(trusted.ok).toBe(true);
    expect(trusted.value).toEqual(expect.objectContaining({ shell: 'electron', version: '9.8.7' }));
    const refused = [
      'http://evil.example:5173/',
      'app://kiops.evil/index.html',
      'app://evil/index.html',
      'app://user@kiops/index.html',
      'https://kiops/index.html',
      `file://${join(builtRendererDir, 'index.html')}`,
      'about:blank',
      'not a url',
    ];
    for (const url of refused) expect((await invokeFrom(url, 'app.info', {})).error?.code, url).toBe('FORBIDDEN_ORIGIN');
    expect((await invokeFrom('app://kiops/index.html', 'app.info', {}, 'sub')).error?.code).toBe('FORBIDDEN_ORIGIN');
  });

  it('hands the renderer theme choice to nativeTheme, from the trusted window only', async () => {
    expect((await invokeFrom('app://kiops/index.html', 'app.setWindowTheme', { theme: 'dark' })).ok).toBe(true);
    expect(standIn.nativeTheme.themeSource).toBe('dark');
    await invokeFrom('http://evil.example:5173/', 'app.setWindowTheme', { theme: 'light' });
    expect(standIn.nativeTheme.themeSource).toBe('dark');
    expect((await invokeFrom('app://kiops/index.html', 'app.setWindowTheme', { theme: 'system' })).ok).toBe(true);
    expect(standIn.nativeTheme.themeSource).toBe('system');
  });

  it('sets an application menu with Edit roles, View without reload when packaged, and Help', () => {
    const template = menuTemplate();
    const byLabel = (label: string) => template.find((item) => item.label === label || item.role === label.toLowerCase());
    expect(roles(byLabel('Edit')?.submenu)).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']));
    const view = roles(byLabel('View')?.submenu);
    expect(view).toEqual(expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']));
    expect(view).not.toContain('reload');
    expect(view).not.toContain('forceReload');
    expect(view).not.toContain('toggleDevTools');
    const everyRole = JSON.stringify(template);
    expect(everyRole).toContain('"role":"about"');
    expect(standIn.called('app.setAboutPanelOptions')[0]?.args[0]).toEqual(expect.objectContaining({ applicationVersion: '9.8.7' }));
    const docs = (byLabel('Help')?.submenu ?? []).find((item) => item.label === 'Kubernetes Documentation');
    docs?.click?.();
    expect(standIn.called('shell.openExternal').map((call) => call.args[0])).toContain('https://kubernetes.io/docs/');
  });

  it('remembers the window size and position when the window closes', () => {
    const window = mainWindow();
    expect(window.options).toEqual(expect.objectContaining({ width: 1400, height: 900 }));
    window.bounds = { x: 120, y: 80, width: 1024, height: 700 };
    window.emit('close');
    expect(JSON.parse(readFileSync(join(userData, 'window-bounds.json'), 'utf8'))).toEqual({ x: 120, y: 80, width: 1024, height: 700, maximized: false });
  });

  it('on quit, unbinds IPC and closes the core (database checkpointed) before the process may end', async () => {
    const wal = join(userData, 'kiops.db-wal');
    expect(existsSync(wal)).toBe(true);
    const atExit: { walLeft?: boolean; ipcBound?: boolean } = {};
    standIn.onExit(() => {
      atExit.walLeft = existsSync(wal);
      atExit.ipcBound = standIn.invokeHandlers.has(ipcChannels.call);
    });
    standIn.module.app.quit();
    await vi.waitFor(() => expect(standIn.called('app.exit')).toHaveLength(1), { timeout: 20_000, interval: 20 });
    const sequence = standIn.calls.map((call) => call.api).filter((api) => ['app.quit', 'app.exit', 'ipcMain.removeHandler'].includes(api));
    expect(sequence).toEqual(['app.quit', 'ipcMain.removeHandler', 'app.quit', 'app.exit']);
    expect(atExit).toEqual({ walLeft: false, ipcBound: false });
  });
});
