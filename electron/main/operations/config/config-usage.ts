import type { V1PodSpec } from '@kubernetes/client-node';

export type ConfigUsage = 'env' | 'envFrom' | 'volume' | 'imagePullSecret';

/** How a pod template references one ConfigMap or Secret. `keys` null: the whole object (envFrom, a volume without items). */
export interface ObjectUsage {
  readonly usage: Set<ConfigUsage>;
  keys: Set<string> | null;
}

export interface TemplateUsage {
  readonly configmap: Map<string, ObjectUsage>;
  readonly secret: Map<string, ObjectUsage>;
}

function note(map: Map<string, ObjectUsage>, name: string | undefined, usage: ConfigUsage, keys: readonly string[] | null): void {
  if (!name) return;
  const entry = map.get(name) ?? { usage: new Set<ConfigUsage>(), keys: new Set<string>() };
  entry.usage.add(usage);
  if (keys === null) entry.keys = null;
  else if (entry.keys !== null) for (const key of keys) entry.keys.add(key);
  map.set(name, entry);
}

/**
 * Which ConfigMaps and Secrets (and which of their keys) a Deployment's pod template uses:
 * env valueFrom, envFrom, volumes and projected volumes, and image pull secrets. This is what
 * "used by this service" in the Config/Secret tab means.
 */
export function templateUsage(spec: V1PodSpec | undefined): TemplateUsage {
  const result: TemplateUsage = { configmap: new Map(), secret: new Map() };
  if (!spec) return result;
  for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
    for (const variable of container.env ?? []) {
      const from = variable.valueFrom;
      if (from?.configMapKeyRef) note(result.configmap, from.configMapKeyRef.name, 'env', [from.configMapKeyRef.key]);
      if (from?.secretKeyRef) note(result.secret, from.secretKeyRef.name, 'env', [from.secretKeyRef.key]);
    }
    for (const source of container.envFrom ?? []) {
      if (source.configMapRef) note(result.configmap, source.configMapRef.name, 'envFrom', null);
      if (source.secretRef) note(result.secret, source.secretRef.name, 'envFrom', null);
    }
  }
  for (const volume of spec.volumes ?? []) {
    const itemKeys = (items: readonly { key: string }[] | undefined) => (items && items.length > 0 ? items.map((item) => item.key) : null);
    if (volume.configMap) note(result.configmap, volume.configMap.name, 'volume', itemKeys(volume.configMap.items));
    if (volume.secret) note(result.secret, volume.secret.secretName, 'volume', itemKeys(volume.secret.items));
    for (const source of volume.projected?.sources ?? []) {
      if (source.configMap) note(result.configmap, source.configMap.name, 'volume', itemKeys(source.configMap.items));
      if (source.secret) note(result.secret, source.secret.name, 'volume', itemKeys(source.secret.items));
    }
  }
  for (const pull of spec.imagePullSecrets ?? []) note(result.secret, pull.name, 'imagePullSecret', null);
  return result;
}
