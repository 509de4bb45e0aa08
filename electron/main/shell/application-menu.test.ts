import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { applicationMenuTemplate, documentationLinks } from './application-menu.ts';

const rolesIn = (item: MenuItemConstructorOptions | undefined) => ((item?.submenu ?? []) as MenuItemConstructorOptions[]).map((entry) => entry.role).filter(Boolean);
const find = (menu: MenuItemConstructorOptions[], label: string) => menu.find((item) => item.label === label || item.role === label);

describe('application menu', () => {
  for (const platform of ['darwin', 'linux', 'win32'] as const) {
    for (const isDevelopment of [true, false]) {
      it(`${platform}, ${isDevelopment ? 'development' : 'packaged'}: Edit roles, View zoom/full screen, reload only in development, About once`, () => {
        const opened: string[] = [];
        const menu = applicationMenuTemplate({ appName: 'KIOPS Desktop', platform, isDevelopment, openExternal: (url) => opened.push(url) });
        expect(rolesIn(find(menu, 'Edit'))).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'delete', 'selectAll']));
        const view = rolesIn(find(menu, 'View'));
        expect(view).toEqual(expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']));
        for (const role of ['reload', 'forceReload', 'toggleDevTools']) expect(view.includes(role as never), role).toBe(isDevelopment);
        expect(JSON.stringify(menu).match(/"role":"about"/g)).toHaveLength(1);
        expect(JSON.stringify(menu).match(/"role":"quit"/g)).toHaveLength(1);
        if (platform === 'darwin') expect(menu[0]?.label).toBe('KIOPS Desktop');
        const help = (find(menu, 'help')?.submenu ?? []) as MenuItemConstructorOptions[];
        for (const link of documentationLinks) help.find((item) => item.label === link.label)?.click?.(undefined as never, undefined, undefined as never);
        expect(opened).toEqual(documentationLinks.map((link) => link.url));
      });
    }
  }
});
