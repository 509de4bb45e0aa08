import type { ContainerStateToneView } from '../../../../shared/contract/containers.ts';

/** Binary units, as `docker stats` prints them (MiB, GiB). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

export function formatPercent(percent: number): string {
  return `${percent.toFixed(percent >= 100 ? 0 : 1)}%`;
}

/** Running in blue like a running pod; exited in orange; paused/created/other grey (they get no action). */
export function containerTagType(tone: ContainerStateToneView): 'info' | 'warning' | 'default' {
  if (tone === 'running') return 'info';
  if (tone === 'exited') return 'warning';
  return 'default';
}
