import type { V1Container, V1Pod } from '@kubernetes/client-node';

const suffixes: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A Kubernetes quantity ("500m", "1.5", "256Mi", "1e3") as a plain number (cores, bytes, count). NaN if malformed. */
export function parseQuantity(text: string | number | undefined): number {
  if (typeof text === 'number') return text;
  if (text === undefined) return 0;
  const match = /^([+-]?[0-9.]+)(?:([eE][+-]?[0-9]+)|(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?)$/.exec(text.trim());
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  if (match[2]) return value * 10 ** Number(match[2].slice(1));
  return value * (suffixes[match[3] ?? ''] ?? 1);
}

function trimmed(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** "250m", "1 core", "1.5 cores". */
export function formatCpu(cores: number): string {
  if (cores < 1) return `${Math.round(cores * 1000)}m`;
  return cores === 1 ? '1 core' : `${trimmed(cores)} cores`;
}

/** "512Mi", "1.5Gi". */
export function formatMemory(bytes: number): string {
  if (bytes >= 2 ** 30) return `${trimmed(bytes / 2 ** 30)}Gi`;
  if (bytes >= 2 ** 20) return `${trimmed(bytes / 2 ** 20)}Mi`;
  return `${Math.round(bytes)} bytes`;
}

export function formatResource(resource: string, amount: number): string {
  if (resource === 'cpu') return formatCpu(amount);
  if (resource === 'memory' || resource.endsWith('storage')) return formatMemory(amount);
  return trimmed(amount);
}

function containerRequests(container: V1Container): Map<string, number> {
  const requests = new Map<string, number>();
  // A container with limits and no requests gets requests equal to its limits (API defaulting).
  const source = { ...(container.resources?.limits ?? {}), ...(container.resources?.requests ?? {}) };
  for (const [resource, value] of Object.entries(source)) requests.set(resource, parseQuantity(value));
  return requests;
}

/** What the scheduler counts a pod as requesting: sum of containers, at least the largest init container, plus overhead. */
export function podRequests(pod: V1Pod): Map<string, number> {
  const total = new Map<string, number>();
  for (const container of pod.spec?.containers ?? []) {
    for (const [resource, amount] of containerRequests(container)) total.set(resource, (total.get(resource) ?? 0) + amount);
  }
  for (const container of pod.spec?.initContainers ?? []) {
    for (const [resource, amount] of containerRequests(container)) total.set(resource, Math.max(total.get(resource) ?? 0, amount));
  }
  for (const [resource, value] of Object.entries(pod.spec?.overhead ?? {})) total.set(resource, (total.get(resource) ?? 0) + parseQuantity(value));
  return total;
}
