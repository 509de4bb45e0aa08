import type { V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import type { ConfigKeyRowView, ConfigObjectView } from '../../../../shared/contract/config.ts';
import { isoTime } from '../kubernetes/kubernetes-access.ts';
import type { ConfigUsage, ObjectUsage } from './config-usage.ts';

/** ConfigMap text values above this are listed without their value (open them elsewhere). */
const inlineValueMaxBytes = 32 * 1024;
const usageOrder: readonly ConfigUsage[] = ['env', 'envFrom', 'volume', 'imagePullSecret'];

function usageOf(used: ObjectUsage | undefined): ConfigUsage[] {
  return used ? usageOrder.filter((usage) => used.usage.has(usage)) : [];
}

function keyUsed(used: ObjectUsage | undefined, key: string): boolean {
  return used !== undefined && (used.keys === null || used.keys.has(key));
}

const byKey = (left: ConfigKeyRowView, right: ConfigKeyRowView) => left.key.localeCompare(right.key);

/** A ConfigMap as the tab shows it: text values inline (up to 32 KiB), binaryData keys by size only. */
export function configMapRow(configMap: V1ConfigMap, used: ObjectUsage | undefined): ConfigObjectView {
  const keys: ConfigKeyRowView[] = [];
  for (const [key, value] of Object.entries(configMap.data ?? {})) {
    const size = Buffer.byteLength(value);
    keys.push({ key, size, value: size <= inlineValueMaxBytes ? value : null, binary: false, usedByService: keyUsed(used, key) });
  }
  for (const [key, value] of Object.entries(configMap.binaryData ?? {})) {
    keys.push({ key, size: Buffer.from(value, 'base64').length, value: null, binary: true, usedByService: keyUsed(used, key) });
  }
  return {
    kind: 'configmap',
    name: configMap.metadata?.name ?? '',
    type: 'ConfigMap',
    resourceVersion: configMap.metadata?.resourceVersion ?? '',
    createdAt: isoTime(configMap.metadata?.creationTimestamp),
    immutable: configMap.immutable === true,
    usage: usageOf(used),
    keys: keys.sort(byKey),
  };
}

/** A Secret's key names and decoded sizes only: its values stay in main until one is revealed. */
export function secretRow(secret: V1Secret, used: ObjectUsage | undefined): ConfigObjectView {
  const keys = Object.entries(secret.data ?? {}).map(([key, value]) => {
    const bytes = Buffer.from(value, 'base64');
    return { key, size: bytes.length, value: null, binary: !isUtf8Text(bytes), usedByService: keyUsed(used, key) };
  });
  return {
    kind: 'secret',
    name: secret.metadata?.name ?? '',
    type: secret.type ?? 'Opaque',
    resourceVersion: secret.metadata?.resourceVersion ?? '',
    createdAt: isoTime(secret.metadata?.creationTimestamp),
    immutable: secret.immutable === true,
    usage: usageOf(used),
    keys: keys.sort(byKey),
  };
}

export function isUtf8Text(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return !bytes.includes(0);
  } catch {
    return false;
  }
}

/** Used objects first, then ConfigMaps before Secrets, then by name. */
export function compareConfigObjects(left: ConfigObjectView, right: ConfigObjectView): number {
  const used = Number(right.usage.length > 0) - Number(left.usage.length > 0);
  if (used !== 0) return used;
  if (left.kind !== right.kind) return left.kind === 'configmap' ? -1 : 1;
  return left.name.localeCompare(right.name);
}
