import { lastConnectionTestSchema, type ConnectionTest, type LastConnectionTest } from '../../../shared/contract/environments.ts';
import type { SettingsRepository } from '../storage/settings-repository.ts';

const key = (environmentId: string): string => `connections.last-test/${environmentId}`;

/**
 * Each environment's last connection test (what it found, by which method, when), kept across
 * restarts so Runtime Environments still shows it after a reload. Non-secret: states, method
 * names, versions and messages only.
 */
export class LastTests {
  private readonly settings: SettingsRepository;
  private readonly now: () => Date;

  constructor(settings: SettingsRepository, now: () => Date = () => new Date()) {
    this.settings = settings;
    this.now = now;
  }

  record(environmentId: string, result: ConnectionTest): void {
    this.settings.set(key(environmentId), { testedAt: this.now().toISOString(), result } satisfies LastConnectionTest);
  }

  get(environmentId: string): LastConnectionTest | null {
    return this.settings.get(key(environmentId), lastConnectionTestSchema);
  }

  forget(environmentId: string): void {
    this.settings.delete(key(environmentId));
  }
}
