import type { MenuItemConstructorOptions } from 'electron';

export interface ApplicationMenuOptions {
  appName: string;
  platform: NodeJS.Platform;
  /** Unpackaged (npm run dev): reload and developer tools are offered. */
  isDevelopment: boolean;
  openExternal(url: string): void;
}

/** Help → documentation: the references for what the app operates. */
export const documentationLinks = [
  { label: 'Kubernetes Documentation', url: 'https://kubernetes.io/docs/' },
  { label: 'Docker Documentation', url: 'https://docs.docker.com/' },
  { label: 'Podman Documentation', url: 'https://docs.podman.io/' },
] as const;

/**
 * The application menu. Edit uses Electron's roles: on macOS copy/paste/select-all only reach
 * text fields through these menu items. Reload would throw away the renderer's state and is
 * offered only in development; zoom and full screen are for everyone.
 */
export function applicationMenuTemplate(options: ApplicationMenuOptions): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin';
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  const about: MenuItemConstructorOptions = { role: 'about', label: `About ${options.appName}` };

  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [{ label: options.appName, submenu: [about, separator, { role: 'services' }, separator, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, separator, { role: 'quit' }] }]
    : [{ label: 'File', submenu: [{ role: 'quit' }] }];

  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(isMac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      separator,
      { role: 'selectAll' },
    ],
  };

  const development: MenuItemConstructorOptions[] = options.isDevelopment ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, separator] : [];
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [...development, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, separator, { role: 'togglefullscreen' }],
  };

  const windowMenu: MenuItemConstructorOptions = {
    role: 'windowMenu',
    submenu: isMac ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      ...documentationLinks.map(({ label, url }): MenuItemConstructorOptions => ({ label, click: () => options.openExternal(url) })),
      ...(isMac ? [] : [separator, about]),
    ],
  };

  return [...appMenu, edit, view, windowMenu, help];
}
