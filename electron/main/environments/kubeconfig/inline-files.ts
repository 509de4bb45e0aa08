import type { KubeconfigModel, KubeCluster, KubeUser } from './model.ts';
import { readRegularTextFile } from './read-regular-file.ts';

/** A CA bundle, client certificate, key or token file is a few KiB; 1 MiB is generous. */
export const maxCredentialFileBytes = 1024 * 1024;

const read = (field: string, path: string) => readRegularTextFile(path, maxCredentialFileBytes, { code: 'KUBECONFIG_INVALID', what: `"${field}" file` });
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * Reads the credential files the chosen contexts point at (`certificate-authority`,
 * `client-certificate`, `client-key`; a `tokenFile` is only checked) once, at registration, as the preview's
 * warning says, and keeps their content instead of the path (so it goes to the keychain, and no
 * later connection reads a path that has since become a FIFO or /dev/zero). Each must be a
 * regular file under the cap. Inline data wins over a file, as in kubectl, so a file next to
 * inline data is dropped unread.
 */
export async function inlineCredentialFiles(model: KubeconfigModel, contextNames: readonly string[]): Promise<KubeconfigModel> {
  const chosen = model.contexts.filter((context) => contextNames.includes(context.name));
  const clusterNames = new Set(chosen.map((context) => context.context.cluster));
  const userNames = new Set(chosen.map((context) => context.context.user));
  const clusters = await Promise.all(
    model.clusters.map(async ({ name, cluster }) => {
      if (!clusterNames.has(name) || cluster['certificate-authority'] === undefined) return { name, cluster };
      const { 'certificate-authority': path, ...rest } = cluster;
      const data = rest['certificate-authority-data'] ?? base64(await read('certificate-authority', path));
      return { name, cluster: { ...rest, 'certificate-authority-data': data } satisfies KubeCluster };
    }),
  );
  const users = await Promise.all(
    model.users.map(async ({ name, user }) => {
      if (!userNames.has(name)) return { name, user };
      const { 'client-certificate': certificate, 'client-key': key, ...rest } = user;
      const inlined: KubeUser = { ...rest };
      // A token file stays a path: tokens in files are rotated (projected service-account tokens),
      // so it is re-read, as a regular file under the cap, before every request. Checked once here.
      if (rest.tokenFile !== undefined && rest.token === undefined) await read('tokenFile', rest.tokenFile);
      if (certificate !== undefined && inlined['client-certificate-data'] === undefined) inlined['client-certificate-data'] = base64(await read('client-certificate', certificate));
      if (key !== undefined && inlined['client-key-data'] === undefined) inlined['client-key-data'] = base64(await read('client-key', key));
      return { name, user: inlined };
    }),
  );
  return { ...model, clusters, users };
}
