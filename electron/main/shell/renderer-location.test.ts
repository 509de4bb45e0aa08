import { describe, expect, it } from 'vitest';
import { rendererLocation } from './renderer-location.ts';

const appWindow = { url: 'app://kiops/index.html', origin: 'app://kiops' };

describe('where the window loads its renderer from', () => {
  const remote = ['http://evil.example:5173/', 'https://localhost:5173/', 'http://localhost.evil.example/', 'http://127.0.0.1.nip.io/', 'http://localhost:5173@evil.example/', 'file:///tmp/index.html', 'javascript:alert(1)', 'not a url', ''];
  const loopback = ['http://localhost:5173/', 'http://127.0.0.1:5173/', 'http://[::1]:5173/', 'http://LOCALHOST:5173/'];

  it('a packaged app always uses app://kiops, whatever ELECTRON_RENDERER_URL says', () => {
    for (const devServerUrl of [...remote, ...loopback, undefined]) {
      expect(rendererLocation({ isPackaged: true, devServerUrl }), String(devServerUrl)).toEqual(appWindow);
    }
  });

  it('in development takes the dev server on loopback http only, trusting exactly its origin', () => {
    expect(rendererLocation({ isPackaged: false, devServerUrl: 'http://localhost:5173/' })).toEqual({ url: 'http://localhost:5173/', origin: 'http://localhost:5173' });
    for (const devServerUrl of loopback) expect(rendererLocation({ isPackaged: false, devServerUrl }).url, devServerUrl).toBe(devServerUrl);
    for (const devServerUrl of [...remote, undefined]) expect(rendererLocation({ isPackaged: false, devServerUrl }), String(devServerUrl)).toEqual(appWindow);
  });
});
