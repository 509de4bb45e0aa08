import type { PodStatusToneView } from '../../../../shared/contract/pods.ts';

/** The spec's colours: running blue, pending orange, failed/error/…BackOff red, anything else grey. */
export function podTagType(tone: PodStatusToneView): 'info' | 'warning' | 'error' | 'default' {
  if (tone === 'running') return 'info';
  if (tone === 'pending') return 'warning';
  if (tone === 'failed') return 'error';
  return 'default';
}

/** kubectl's AGE column: 45s, 12m, 5h, 3d (two units under a day and a half, as kubectl does). */
export function podAge(createdAt: string | null, now: number): string {
  if (createdAt === null) return '—';
  const seconds = Math.max(0, Math.floor((now - Date.parse(createdAt)) / 1000));
  if (Number.isNaN(seconds)) return '—';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return `${minutes}m${seconds % 60 ? `${seconds % 60}s` : ''}`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return `${hours}h${minutes % 60 ? `${minutes % 60}m` : ''}`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  return days < 8 && hours % 24 ? `${days}d${hours % 24}h` : `${days}d`;
}
