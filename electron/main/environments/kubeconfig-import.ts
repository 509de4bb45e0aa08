import { delimiter, resolve } from 'node:path';
import type { KubeconfigSource } from '../../../shared/contract/environments.ts';
import type { KubeCredentials } from '../connections/runtime-access.ts';
import { loadKubeconfigFile, loadKubeconfigList, parseKubeconfig, redactUrl, splitContext, type ContextMetadata, type KubeconfigModel } from './kubeconfig/index.ts';

/** Reads a kubeconfig source: pasted text, one file, or a KUBECONFIG-style list merged like kubectl. */
export async function loadKubeconfigSource(source: KubeconfigSource, homeDir: string): Promise<KubeconfigModel> {
  if (source.kind === 'text') return parseKubeconfig(source.text, 'the pasted kubeconfig');
  const [only] = source.paths;
  if (source.paths.length === 1 && only !== undefined) return loadKubeconfigFile(only);
  return loadKubeconfigList(source.paths.join(delimiter), homeDir);
}

/** Where kubectl looks: the $KUBECONFIG list (relative entries against the working folder), else ~/.kube/config. */
export function defaultKubeconfigPaths(env: Readonly<Record<string, string | undefined>>, homeDir: string): string[] {
  const list = (env.KUBECONFIG ?? '').split(delimiter).filter((path) => path.length > 0);
  const paths = list.length > 0 ? list.map((path) => resolve(path)) : [resolve(homeDir, '.kube', 'config')];
  return [...new Set(paths)];
}

export interface ImportedContext {
  readonly metadata: ContextMetadata;
  /** What goes to the keychain; undefined when the context carries no secret. */
  readonly credentials: KubeCredentials | undefined;
}

/**
 * One context of a loaded (credential files inlined) kubeconfig cut into its SQLite half and its
 * keychain half, remembering the files it came from so they can be watched and read again.
 */
export function importContext(model: KubeconfigModel, contextName: string, sourcePaths: readonly string[] | undefined): ImportedContext {
  const { metadata, secrets } = splitContext(model, contextName);
  const credentials: KubeCredentials = { context: secrets };
  // A proxy-url may carry user:password; that part is a credential too.
  if (metadata.proxyUrl !== undefined && redactUrl(metadata.proxyUrl) !== metadata.proxyUrl) {
    credentials.proxyUrl = metadata.proxyUrl;
    metadata.proxyUrl = redactUrl(metadata.proxyUrl);
  }
  if (sourcePaths !== undefined && sourcePaths.length > 0) {
    metadata.source = { paths: [...sourcePaths], contexts: model.contexts.map((c) => c.name), ...(metadata.namespace !== undefined ? { namespace: metadata.namespace } : {}) };
  }
  const hasSecrets = Object.keys(secrets).length > 0 || credentials.proxyUrl !== undefined;
  return { metadata, credentials: hasSecrets ? credentials : undefined };
}
