// pod-template-hash as the deployment controller computes it: FNV-32a of the template,
// rendered with the "safe" alphabet (k8s.io/apimachinery/pkg/util/rand.SafeEncodeString).

import type { PodTemplateSpec } from '../model/types.ts';

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';
export const HASH_LABEL = 'pod-template-hash';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined && entry !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonical(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The template without its pod-template-hash label, for comparing RS and Deployment templates. */
export function templateWithoutHash(template: PodTemplateSpec): string {
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels[HASH_LABEL];
  return canonical({ ...template, metadata: { ...(template.metadata ?? {}), labels } });
}

export function podTemplateHash(template: PodTemplateSpec, collisionCount = 0): string {
  let hash = 0x811c9dc5;
  const bytes = Buffer.from(templateWithoutHash(template) + (collisionCount ? String(collisionCount) : ''));
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return [...String(hash)].map((char) => SAFE[char.charCodeAt(0) % SAFE.length]).join('');
}
