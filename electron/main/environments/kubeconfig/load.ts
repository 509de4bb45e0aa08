import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { maxKubeconfigBytes } from '../../../../shared/contract/environments.ts';
import { AppError } from '../../../../shared/errors.ts';
import { mergeKubeconfigs } from './merge.ts';
import type { KubeconfigModel, KubeCluster, KubeUser } from './model.ts';
import { parseKubeconfig } from './parse.ts';
import { readRegularTextFile } from './read-regular-file.ts';

/**
 * Reads a kubeconfig file read-only (the app never writes the user's own kubeconfig); only a
 * regular file under the size cap (not /dev/zero, a FIFO or a folder).
 * Relative file references inside it are made absolute against the file's folder, as kubectl
 * does, so the model means the same thing wherever it is used later.
 */
export async function loadKubeconfigFile(path: string): Promise<KubeconfigModel> {
  const text = await readRegularTextFile(path, maxKubeconfigBytes, { code: 'KUBECONFIG_INVALID', what: 'kubeconfig file' });
  return resolveRelativePaths(parseKubeconfig(text, path), dirname(resolve(path)));
}

/**
 * Loads a KUBECONFIG-style list (`a:b:c`). kubectl skips files that do not exist in such a
 * list; a file that exists but is broken is still an error.
 */
export async function loadKubeconfigList(list: string, homeDir: string): Promise<KubeconfigModel> {
  const paths = list.split(delimiter).filter((p) => p.length > 0);
  const effective = paths.length > 0 ? paths : [join(homeDir, '.kube', 'config')];
  const models: KubeconfigModel[] = [];
  for (const path of effective) {
    try {
      models.push(await loadKubeconfigFile(path));
    } catch (error) {
      if (error instanceof AppError && error.details?.problem === 'unreadable' && effective.length > 1) continue;
      throw error;
    }
  }
  return mergeKubeconfigs(models);
}

export function resolveRelativePaths(model: KubeconfigModel, baseDir: string): KubeconfigModel {
  const abs = (p: string | undefined): string | undefined => (p && !isAbsolute(p) ? join(baseDir, p) : p);
  return {
    ...model,
    clusters: model.clusters.map(({ name, cluster }) => ({
      name,
      cluster: withDefined<KubeCluster>(cluster, { 'certificate-authority': abs(cluster['certificate-authority']) }),
    })),
    users: model.users.map(({ name, user }) => ({
      name,
      user: withDefined<KubeUser>(user, {
        tokenFile: abs(user.tokenFile),
        'client-certificate': abs(user['client-certificate']),
        'client-key': abs(user['client-key']),
        // kubectl resolves an exec command relative to the file only when it contains a slash.
        exec: user.exec && user.exec.command.includes('/') ? { ...user.exec, command: abs(user.exec.command) ?? user.exec.command } : user.exec,
      }),
    })),
  };
}

function withDefined<T extends object>(base: T, changes: Partial<T>): T {
  const out = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
