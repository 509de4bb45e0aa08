import type { EnvironmentRecord } from '../environments/environment-repository.ts';
import { idTokenRefreshAt, oidcProviderConfig, refreshOidcTokens } from '../environments/kubeconfig/oidc-refresh.ts';
import { labelOf } from '../../../shared/message-params.ts';

/** The environment's auth-provider config in the keychain: read it, and write it back with rotated tokens. */
export interface OidcConfigStore {
  read(env: EnvironmentRecord): Promise<Readonly<Record<string, string>>>;
  save(env: EnvironmentRecord, config: Readonly<Record<string, string>>): Promise<void>;
}

/**
 * Id-tokens of kubeconfig users with auth-provider "oidc". Each request asks for the token; a
 * valid one is served from memory, an expiring one is refreshed with the refresh token (one
 * refresh for all requests of that moment), and the ROTATED refresh token is written back to
 * the environment's keychain entry at once: issuers that rotate invalidate the old one, so
 * losing the new one would log the user out. Tokens live only in memory and the keychain.
 */
export class OidcTokens {
  private readonly store: OidcConfigStore;
  private readonly now: () => number;
  /** refreshAt: when the token is near its expiry (idTokenRefreshAt); 0 after the server refused it. */
  private readonly cache = new Map<string, { idToken: string; refreshAt: number }>();
  private readonly runs = new Map<string, Promise<string>>();

  constructor(store: OidcConfigStore, now: () => number = Date.now) {
    this.store = store;
    this.now = now;
  }

  token(env: EnvironmentRecord): Promise<string> {
    const cached = this.cache.get(env.id);
    if (cached && cached.refreshAt > this.now()) return Promise.resolve(cached.idToken);
    let running = this.runs.get(env.id);
    if (running === undefined) {
      running = this.fetch(env).finally(() => this.runs.delete(env.id));
      this.runs.set(env.id, running);
    }
    return running;
  }

  /**
   * The server refused the token (401): the next request refreshes even if exp says it is valid.
   * A refresh already under way answers for the requests refused meanwhile.
   */
  rejected(environmentId: string): void {
    if (this.runs.has(environmentId)) return;
    this.cache.set(environmentId, { idToken: this.cache.get(environmentId)?.idToken ?? '', refreshAt: 0 });
  }

  forget(environmentId: string): void {
    this.cache.delete(environmentId);
  }

  private async fetch(env: EnvironmentRecord): Promise<string> {
    const label = labelOf('environment', env.name);
    const raw = await this.store.read(env);
    const config = oidcProviderConfig(raw, label);
    const forced = this.cache.get(env.id)?.refreshAt === 0;
    const storedRefreshAt = config.idToken === undefined ? undefined : idTokenRefreshAt(config.idToken);
    if (!forced && config.idToken !== undefined && storedRefreshAt !== undefined && storedRefreshAt > this.now()) {
      this.cache.set(env.id, { idToken: config.idToken, refreshAt: storedRefreshAt });
      return config.idToken;
    }
    const fresh = await refreshOidcTokens(config, label);
    // Saved before the token is used: a rotated refresh token exists nowhere else.
    await this.store.save(env, { ...raw, 'id-token': fresh.idToken, 'refresh-token': fresh.refreshToken });
    this.cache.set(env.id, { idToken: fresh.idToken, refreshAt: idTokenRefreshAt(fresh.idToken) ?? this.now() + 60_000 });
    return fresh.idToken;
  }
}
