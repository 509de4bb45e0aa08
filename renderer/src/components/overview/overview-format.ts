/** "3d 4h", "12m": how long a container has been up. */
export function formatUptime(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m`;
  return `${seconds}s`;
}

export function formatPorts(ports: readonly { containerPort: number; protocol: string; hostPort: number | null; hostIp: string | null }[]): string {
  return ports.map((port) => (port.hostPort === null ? `${port.containerPort}/${port.protocol}` : `${port.hostIp ?? ''}:${port.hostPort}→${port.containerPort}/${port.protocol}`)).join(', ');
}

export const percentOrDash = (value: number | null): string => (value === null ? '—' : `${value}%`);
