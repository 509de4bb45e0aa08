import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeconfigModel } from './model.ts';
import { toKubeconfigYaml } from './serialize.ts';

export interface PrivateKubeconfig {
  readonly path: string;
  /** Removes the file and its folder. Safe to call twice. */
  dispose(): Promise<void>;
}

/**
 * Writes a kubeconfig for one kubectl run: mode 0600 inside a fresh 0700 folder under `dir`,
 * so no other local user can read the credentials while kubectl runs. The caller must
 * `dispose()` it when the command ends. This is never the user's own kubeconfig. The folder name
 * carries the app's pid so a later start can sweep it if this process dies first.
 */
export async function writePrivateKubeconfig(dir: string, model: KubeconfigModel, options: { proxyUrl?: string } = {}): Promise<PrivateKubeconfig> {
  const withProxy: KubeconfigModel = options.proxyUrl
    ? { ...model, clusters: model.clusters.map((c) => ({ name: c.name, cluster: { ...c.cluster, 'proxy-url': options.proxyUrl } })) }
    : model;
  const folder = await mkdtemp(join(dir, `kiops-kubeconfig-${process.pid}-`));
  await chmod(folder, 0o700);
  const path = join(folder, 'config');
  try {
    await writeFile(path, toKubeconfigYaml(withProxy), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  let disposed = false;
  return {
    path,
    async dispose() {
      if (disposed) return;
      disposed = true;
      await rm(folder, { recursive: true, force: true });
    },
  };
}
