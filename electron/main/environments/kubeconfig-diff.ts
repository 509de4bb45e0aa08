import type { KubeconfigChange } from '../../../shared/contract/environments.ts';
import type { KubeCredentials } from '../connections/runtime-access.ts';
import type { ImportedContext } from './kubeconfig-import.ts';
import { redactUrl, type ContextMetadata } from './kubeconfig/index.ts';

type Field = KubeconfigChange['fields'][number];

/** Key order differs between a parsed row and a fresh split; compare by content. */
const stable = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(stable)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, stable(v)]))
      : value;
const same = (a: unknown, b: unknown) => JSON.stringify(stable(a ?? null)) === JSON.stringify(stable(b ?? null));
const shown = (before: string | undefined, after: string | undefined) => ({ ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });

/**
 * What changed for one imported context between what the app stored and what its files say now.
 * Names, addresses and namespaces are shown with their old and new values (addresses without
 * user:password); TLS material, exec plugins and credentials only as "changed", never their values.
 * A namespace the user edited in the app is their setting, not a change of the file.
 */
export function contextChanges(stored: ContextMetadata, storedCredentials: KubeCredentials | undefined, now: ImportedContext): Field[] {
  const after = now.metadata;
  const fields: Field[] = [];
  if (stored.clusterName !== after.clusterName) fields.push({ field: 'cluster', ...shown(stored.clusterName, after.clusterName) });
  if (stored.server !== after.server) fields.push({ field: 'server', ...shown(redactUrl(stored.server), redactUrl(after.server)) });
  if (stored.userName !== after.userName) fields.push({ field: 'user', ...shown(stored.userName, after.userName) });
  const fileNamespace = stored.source ? stored.source.namespace : stored.namespace;
  if (fileNamespace !== after.namespace) fields.push({ field: 'namespace', ...shown(fileNamespace, after.namespace) });
  if (!same(stored.proxyUrl, after.proxyUrl)) fields.push({ field: 'proxy', ...shown(stored.proxyUrl, after.proxyUrl) });
  const tls = (m: ContextMetadata) => [m.certificateAuthorityData, m.certificateAuthorityFile, m.insecureSkipTlsVerify, m.tlsServerName];
  if (!same(tls(stored), tls(after))) fields.push({ field: 'tls' });
  if (!same(stored.exec, after.exec)) fields.push({ field: 'exec' });
  if (!same(stored.authProviderName, after.authProviderName)) fields.push({ field: 'auth-provider', ...shown(stored.authProviderName, after.authProviderName) });
  const fileCredentials = (m: ContextMetadata) => [m.username, m.tokenFile, m.clientCertificateFile, m.clientKeyFile];
  if (!same(fileCredentials(stored), fileCredentials(after)) || !sameCredentials(storedCredentials, now.credentials)) fields.push({ field: 'credentials' });
  return fields;
}

/**
 * An OIDC provider's tokens are rotated by the app itself (saved back to the keychain), so they
 * differ from the file without the file having changed; compare the rest of the secrets.
 */
function sameCredentials(a: KubeCredentials | undefined, b: KubeCredentials | undefined): boolean {
  const comparable = (c: KubeCredentials | undefined) => {
    if (c === undefined) return null;
    const { authProviderConfig, ...context } = c.context;
    const provider = authProviderConfig ? Object.fromEntries(Object.entries(authProviderConfig).filter(([key]) => key !== 'id-token' && key !== 'refresh-token').sort()) : undefined;
    return { ...c, context: { ...context, ...(provider ? { authProviderConfig: provider } : {}) } };
  };
  return same(comparable(a), comparable(b));
}

/** Contexts the files gained and lost since the import. */
export function contextListChanges(importedContexts: readonly string[], nowContexts: readonly string[]): { addedContexts: string[]; removedContexts: string[] } {
  return {
    addedContexts: nowContexts.filter((name) => !importedContexts.includes(name)),
    removedContexts: importedContexts.filter((name) => !nowContexts.includes(name)),
  };
}
