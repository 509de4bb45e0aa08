import { z } from 'zod';
import type { SettingsRepository } from '../storage/settings-repository.ts';

const key = (environmentId: string): string => `connections.method-dialog-shown/${environmentId}`;

/**
 * Whether the connection-method dialog has opened by itself for an environment. It opens once:
 * the first question answers true and records it; picking a method records it as well.
 */
export class FirstOpenFlags {
  private readonly settings: SettingsRepository;

  constructor(settings: SettingsRepository) {
    this.settings = settings;
  }

  takeFirstOpen(environmentId: string): boolean {
    if (this.settings.get(key(environmentId), z.literal(true)) === true) return false;
    this.settings.set(key(environmentId), true);
    return true;
  }

  markPicked(environmentId: string): void {
    this.settings.set(key(environmentId), true);
  }

  forget(environmentId: string): void {
    this.settings.delete(key(environmentId));
  }
}
