import type { UpdateChannel } from './update-settings.ts';

export interface UpdateLogger {
  warn(message: string): void;
}

/**
 * Checks for updates through electron-updater, which reads the publish configuration
 * electron-builder wrote into the package (app-update.yml). Only a packaged app on a channel
 * other than `off` loads the updater at all; failures (no network, no feed) are logged,
 * never shown as a crash. Downloads install when the app quits.
 */
export async function startAutoUpdate(options: { channel: UpdateChannel; isPackaged: boolean; logger: UpdateLogger }): Promise<void> {
  if (options.channel === 'off' || !options.isPackaged) return;
  try {
    const { autoUpdater } = await import('electron-updater');
    autoUpdater.channel = options.channel;
    autoUpdater.allowPrerelease = options.channel === 'beta';
    autoUpdater.allowDowngrade = false;
    autoUpdater.autoInstallOnAppQuit = true;
    autoUpdater.on('error', (error: Error) => options.logger.warn(`update check failed: ${error.message}`));
    await autoUpdater.checkForUpdates();
  } catch (error) {
    options.logger.warn(`update check failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
