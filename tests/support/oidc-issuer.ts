import { createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeTestServer } from '../kube-server/index.ts';
import type { OidcAuthentication } from '../kube-server/oidc.ts';

export interface OidcIssuerOptions {
  clientId?: string;
  clientSecret?: string;
  /** How long an issued id-token lives (default 5 s: tests see it expire). */
  idTokenTtlSeconds?: number;
}

/**
 * An OIDC issuer stand-in, a test fixture: discovery document, and a token endpoint that
 * answers the refresh_token grant the way rotating issuers (Keycloak, Okta, Dex with rotation)
 * do: every refresh returns a new id-token and a NEW refresh token, and the old refresh token
 * stops working. Client authentication by HTTP Basic or form fields. HTTP on 127.0.0.1.
 */
export interface OidcIssuer {
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** What the Kubernetes test API server needs to accept this issuer's id-tokens. */
  readonly authentication: OidcAuthentication;
  /** A fresh login: an id-token (expiring after `ttlSeconds`, default the issuer's) and a refresh token. */
  login(subject: string, ttlSeconds?: number): { idToken: string; refreshToken: string };
  /** The refresh token the issuer currently accepts for the subject. */
  currentRefreshToken(subject: string): string | undefined;
  /**
   * Signs with a new key from now on. The test API server holds `authentication` by reference,
   * so it verifies with the new key at once (as kube-apiserver after re-reading jwks_uri): tokens
   * issued before are refused although not expired.
   */
  rotateSigningKey(): void;
  /** Successful refreshes so far, per subject. */
  refreshes(subject: string): number;
  /** Refresh attempts with a refresh token that was already rotated away. */
  readonly reusedRefreshTokens: number;
  close(): Promise<void>;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export async function startOidcIssuer(options: OidcIssuerOptions = {}): Promise<OidcIssuer> {
  const clientId = options.clientId ?? 'kiops-desktop';
  const clientSecret = options.clientSecret ?? `secret-${randomBytes(6).toString('hex')}`;
  const ttl = options.idTokenTtlSeconds ?? 5;
  const newKey = () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return { key: createPrivateKey(pair.privateKey.export({ type: 'pkcs8', format: 'pem' })), publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  };
  let signing: { key: KeyObject; publicKeyPem: string } = newKey();
  const current = new Map<string, string>();
  const retired = new Set<string>();
  const counts = new Map<string, number>();
  let reused = 0;
  let issuerUrl = '';

  const idToken = (subject: string, ttlSeconds: number) => {
    const now = Math.floor(Date.now() / 1000);
    const body = `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'test' })}.${b64url({ iss: issuerUrl, aud: clientId, sub: subject, iat: now, exp: now + ttlSeconds })}`;
    return `${body}.${sign('RSA-SHA256', Buffer.from(body), signing.key).toString('base64url')}`;
  };
  const newRefreshToken = (subject: string) => {
    const old = current.get(subject);
    if (old) retired.add(old);
    const token = `refresh-${subject}-${randomBytes(12).toString('hex')}`;
    current.set(subject, token);
    return token;
  };

  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(body));
  };
  const readBody = (request: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let text = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (text += chunk));
      request.on('end', () => resolve(text));
      request.on('error', reject);
    });

  const server = createServer((request, response) => {
    void (async () => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      if (request.method === 'GET' && path === '/.well-known/openid-configuration') {
        return send(response, 200, { issuer: issuerUrl, token_endpoint: `${issuerUrl}/token`, jwks_uri: `${issuerUrl}/keys`, response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'] });
      }
      if (request.method !== 'POST' || path !== '/token') return send(response, 404, { error: 'not_found' });
      const form = new URLSearchParams(await readBody(request));
      const basic = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
      const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent) : [form.get('client_id'), form.get('client_secret')];
      if (id !== clientId || secret !== clientSecret) return send(response, 401, { error: 'invalid_client' });
      if (form.get('grant_type') !== 'refresh_token') return send(response, 400, { error: 'unsupported_grant_type' });
      const presented = form.get('refresh_token') ?? '';
      const subject = [...current].find(([, token]) => token === presented)?.[0];
      if (subject === undefined) {
        if (retired.has(presented)) reused += 1;
        return send(response, 400, { error: 'invalid_grant', error_description: 'refresh token is invalid or was already used' });
      }
      counts.set(subject, (counts.get(subject) ?? 0) + 1);
      return send(response, 200, { access_token: randomBytes(16).toString('hex'), token_type: 'Bearer', expires_in: ttl, id_token: idToken(subject, ttl), refresh_token: newRefreshToken(subject) });
    })().catch(() => send(response, 500, { error: 'server_error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const authentication: OidcAuthentication = { issuerUrl, clientId, publicKeyPem: signing.publicKeyPem };
  return {
    issuerUrl,
    clientId,
    clientSecret,
    authentication,
    rotateSigningKey: () => {
      signing = newKey();
      authentication.publicKeyPem = signing.publicKeyPem;
    },
    login: (subject, ttlSeconds = ttl) => ({ idToken: idToken(subject, ttlSeconds), refreshToken: newRefreshToken(subject) }),
    currentRefreshToken: (subject) => current.get(subject),
    refreshes: (subject) => counts.get(subject) ?? 0,
    get reusedRefreshTokens() {
      return reused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A kubeconfig user as `kubectl config set-credentials --auth-provider=oidc` writes it. */
export function oidcKubeconfig(kube: Pick<KubeTestServer, 'url' | 'caPem'>, issuer: OidcIssuer, user: string, tokens: { idToken: string; refreshToken: string }): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: sso',
    '  cluster:',
    `    server: ${kube.url}`,
    `    certificate-authority-data: ${Buffer.from(kube.caPem).toString('base64')}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    '    auth-provider:',
    '      name: oidc',
    '      config:',
    `        idp-issuer-url: ${issuer.issuerUrl}`,
    `        client-id: ${issuer.clientId}`,
    `        client-secret: ${issuer.clientSecret}`,
    `        id-token: ${tokens.idToken}`,
    `        refresh-token: ${tokens.refreshToken}`,
    'contexts:',
    `- name: ${user}@sso`,
    `  context: { cluster: sso, user: ${user}, namespace: default }`,
    `current-context: ${user}@sso`,
    '',
  ].join('\n');
}
