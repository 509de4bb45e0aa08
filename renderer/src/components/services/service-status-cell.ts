import { h, type VNode } from 'vue';
import type { ServiceRow } from '../../../../shared/contract/catalog.ts';

type Translate = (key: string, values?: Record<string, unknown>) => string;

/** The tag's colour for a health: naive-ui's tag types. */
export function healthTagType(health: ServiceRow['status']['health']): 'success' | 'warning' | 'error' | 'default' {
  if (health === 'healthy') return 'success';
  if (health === 'degraded') return 'warning';
  if (health === 'down') return 'error';
  return 'default';
}

/** Ready/desired replicas (Kubernetes) or running/total containers; nothing for a service not found. */
export function statusCounts(row: ServiceRow, t: Translate): string {
  const { ready, desired, health } = row.status;
  if (health === 'not-found') return '';
  return row.runtime === 'kubernetes' ? t('services.replicas', { ready, desired }) : t('services.containersRunning', { ready, desired });
}

/**
 * Health in words and colour, with the counts in grey and, for a service shown from its unreachable
 * environment's last listing, a 'stale' tag: plain spans drawn as naive-ui's NTag and NText by the
 * table's theme values (service-row-look.ts), not components per row.
 */
export function serviceStatusCell(row: ServiceRow, t: Translate): VNode {
  const health = row.status.health;
  return h('span', { class: 'svc-status', 'data-testid': 'service-status', 'data-health': health }, [
    h('span', { class: `small-tag small-tag--${healthTagType(health)}` }, t(`services.health.${health}`)),
    h('span', { class: 'svc-muted' }, statusCounts(row, t)),
    row.stale ? h('span', { class: 'small-tag small-tag--warning', title: t('services.staleHint'), 'data-testid': 'service-stale' }, t('services.stale')) : null,
  ]);
}
