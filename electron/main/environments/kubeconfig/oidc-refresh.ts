import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { z } from 'zod';
import { AppError } from '../../../../shared/errors.ts';
import { phraseParams, type SubjectPhrase } from '../../../../shared/message-params.ts';

/** The auth-provider "oidc" config keys kubectl's plugin used (client-go's oidc.go). */
export interface OidcProviderConfig {
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly idToken?: string;
  readonly refreshToken?: string;
  /** PEM of the issuer's CA, from idp-certificate-authority-data. */
  readonly issuerCaPem?: string;
}

export function oidcProviderConfig(config: Readonly<Record<string, string>>, label: SubjectPhrase<'label'>): OidcProviderConfig {
  const issuerUrl = config['idp-issuer-url'];
  const clientId = config['client-id'];
  if (!issuerUrl || !clientId) throw new AppError('AUTH_FAILED', `The OIDC settings of ${label.english} lack idp-issuer-url or client-id.`, undefined, { key: 'environments.oidc.settingsIncomplete', params: phraseParams(label) });
  const caData = config['idp-certificate-authority-data'];
  const optional = (name: string) => (config[name] ? config[name] : undefined);
  return dropUndefined({
    issuerUrl,
    clientId,
    clientSecret: optional('client-secret'),
    idToken: optional('id-token'),
    refreshToken: optional('refresh-token'),
    issuerCaPem: caData ? Buffer.from(caData, 'base64').toString('utf8') : undefined,
  });
}

/**
 * When the id-token should be refreshed, in ms: 30 s before its `exp`, or half its lifetime
 * (exp − iat) before when that is shorter (short-lived test tokens). Undefined when it has no exp or is not a JWT.
 */
export function idTokenRefreshAt(idToken: string): number | undefined {
  const payload = idToken.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const { exp, iat } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown; iat?: unknown };
    if (typeof exp !== 'number') return undefined;
    const margin = typeof iat === 'number' && iat < exp ? Math.min(30, (exp - iat) / 2) : 30;
    return (exp - margin) * 1000;
  } catch {
    return undefined;
  }
}

const discoverySchema = z.object({ token_endpoint: z.string().url() }).loose();
const tokenSchema = z.object({ id_token: z.string().min(1), refresh_token: z.string().min(1).optional() }).loose();

/**
 * The refresh_token grant against the issuer's token endpoint (from its discovery document),
 * as client-go's OIDC provider did: a new id-token, and the refresh token the issuer rotated to
 * (or the old one when it does not rotate). Plain HTTP only to a loopback issuer. Messages name
 * the issuer and the OAuth error, never a token.
 */
export async function refreshOidcTokens(config: OidcProviderConfig, label: SubjectPhrase<'label'>, timeoutMs = 15_000): Promise<{ idToken: string; refreshToken: string }> {
  if (config.refreshToken === undefined) {
    throw new AppError('AUTH_FAILED', `The OIDC id-token of ${label.english} expired and there is no refresh-token: log in again (e.g. kubectl oidc-login), then re-import the kubeconfig.`, undefined, { key: 'environments.oidc.noRefreshToken', params: phraseParams(label) });
  }
  const issuer = new URL(config.issuerUrl);
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname))) {
    throw new AppError('AUTH_FAILED', `The OIDC issuer ${config.issuerUrl} of ${label.english} is not https; tokens are only sent over TLS.`, undefined, { key: 'environments.oidc.notHttps', params: { issuer: config.issuerUrl, ...phraseParams(label) } });
  }
  const discovery = discoverySchema.safeParse(await requestJson(new URL(`${config.issuerUrl.replace(/\/$/, '')}/.well-known/openid-configuration`), { method: 'GET' }, config, timeoutMs, label));
  if (!discovery.success) throw new AppError('AUTH_FAILED', `The OIDC issuer ${config.issuerUrl} of ${label.english} has no usable discovery document.`, undefined, { key: 'environments.oidc.noDiscovery', params: { issuer: config.issuerUrl, ...phraseParams(label) } });
  const endpoint = new URL(discovery.data.token_endpoint);
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: config.refreshToken });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  // HTTP Basic client authentication (RFC 6749 2.3.1), the default of Go's oauth2 that kubectl used
  if (config.clientSecret !== undefined) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`).toString('base64')}`;
  else form.set('client_id', config.clientId);
  const answer = tokenSchema.safeParse(await requestJson(endpoint, { method: 'POST', headers, body: form.toString() }, config, timeoutMs, label));
  if (!answer.success) throw new AppError('AUTH_FAILED', `The OIDC issuer ${config.issuerUrl} answered the refresh of ${label.english} without an id_token.`, undefined, { key: 'environments.oidc.noIdToken', params: { issuer: config.issuerUrl, ...phraseParams(label) } });
  return { idToken: answer.data.id_token, refreshToken: answer.data.refresh_token ?? config.refreshToken };
}

function requestJson(url: URL, init: { method: string; headers?: Record<string, string>; body?: string }, config: OidcProviderConfig, timeoutMs: number, label: SubjectPhrase<'label'>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: init.method, headers: init.headers ?? {}, ...(url.protocol === 'https:' && config.issuerCaPem ? { ca: config.issuerCaPem } : {}), timeout: timeoutMs }, (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (text.length > 1024 * 1024) req.destroy(new Error('answer too large'));
      });
      res.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        if ((res.statusCode ?? 0) >= 400) {
          const error = body && typeof body === 'object' && 'error' in body && typeof body.error === 'string' ? body.error.slice(0, 100) : `HTTP ${res.statusCode}`;
          const hint = error === 'invalid_grant' ? ' The refresh token is no longer valid: log in again (e.g. kubectl oidc-login), then re-import the kubeconfig.' : '';
          const text = { key: `environments.oidc.${hint ? 'refreshTokenInvalid' : 'refused'}`, params: { issuer: config.issuerUrl, ...phraseParams(label), error } };
          reject(new AppError('AUTH_FAILED', `The OIDC issuer ${config.issuerUrl} refused to refresh the token of ${label.english}: ${error}.${hint}`, undefined, text));
          return;
        }
        resolve(body);
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', (error) =>
      reject(
        error instanceof AppError
          ? error
          : new AppError('UNREACHABLE', `The OIDC issuer ${config.issuerUrl} of ${label.english} cannot be reached: ${error.message}`, undefined, {
              key: 'environments.oidc.unreachable',
              params: { issuer: config.issuerUrl, ...phraseParams(label), detail: error.message },
            }),
      ),
    );
    if (init.body !== undefined) req.end(init.body);
    else req.end();
  });
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
