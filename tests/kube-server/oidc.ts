// OIDC bearer tokens as kube-apiserver's --oidc-* flags accept them: an RS256 JWT signed by the
// issuer's key, with the configured issuer (iss), the client id among its audiences (aud), not
// expired (exp) and not before its time (nbf); the user is the configured claim's value.

import { createPublicKey, verify } from 'node:crypto';

export interface OidcAuthentication {
  /** --oidc-issuer-url */
  issuerUrl: string;
  /** --oidc-client-id: must be in the token's audiences. */
  clientId: string;
  /** The issuer's signing key (what kube-apiserver fetches from jwks_uri). */
  publicKeyPem: string;
  /** --oidc-username-claim (default "sub"). */
  usernameClaim?: string;
}

const part = (text: string): unknown => JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));

/** The user name an id-token proves, or undefined when it is forged, for another audience or expired. */
export function verifyIdToken(oidc: OidcAuthentication, token: string, now = Date.now()): string | undefined {
  const pieces = token.split('.');
  if (pieces.length !== 3) return undefined;
  const [headerText, payloadText, signatureText] = pieces as [string, string, string];
  try {
    const header = part(headerText) as { alg?: string };
    if (header.alg !== 'RS256') return undefined;
    const signed = verify('RSA-SHA256', Buffer.from(`${headerText}.${payloadText}`), createPublicKey(oidc.publicKeyPem), Buffer.from(signatureText, 'base64url'));
    if (!signed) return undefined;
    const claims = part(payloadText) as Record<string, unknown>;
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (claims.iss !== oidc.issuerUrl || !audiences.includes(oidc.clientId)) return undefined;
    const seconds = now / 1000;
    if (typeof claims.exp !== 'number' || claims.exp <= seconds) return undefined;
    if (typeof claims.nbf === 'number' && claims.nbf > seconds) return undefined;
    const user = claims[oidc.usernameClaim ?? 'sub'];
    return typeof user === 'string' && user !== '' ? user : undefined;
  } catch {
    return undefined;
  }
}
