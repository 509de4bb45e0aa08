import type { ContainerInfo } from 'dockerode';
import { describe, expect, it } from 'vitest';
import { actionsFor, classifyContainerState, containerRowOf, healthFromInspect, healthFromStatusText, isoOrNull } from './container-rows.ts';

describe('container state tones (spec: any state containing "up" is running; paused/created have no action)', () => {
  it.each([
    ['running', 'Up 5 minutes', 'running'],
    ['running', 'Up 2 seconds (healthy)', 'running'],
    ['RUNNING', '', 'running'],
    ['Up', '', 'running'],
    ['unknown', 'UP 3 hours', 'running'],
    ['exited', 'Exited (0) 3 seconds ago', 'exited'],
    ['stopped', 'Exited (137) 1 minute ago', 'exited'],
    ['paused', 'Up 3 minutes (Paused)', 'paused'],
    ['created', 'Created', 'created'],
    ['configured', 'Created', 'created'],
    ['restarting', 'Restarting (1) 2 seconds ago', 'other'],
    ['dead', 'Dead', 'other'],
    ['removing', 'Removal In Progress', 'other'],
  ])('%s / %s → %s', (state, status, tone) => {
    expect(classifyContainerState(state, status)).toBe(tone);
  });

  it('offers Restart only for running and exited containers', () => {
    expect(actionsFor('running')).toEqual(['restart']);
    expect(actionsFor('exited')).toEqual(['restart']);
    expect(actionsFor('paused')).toEqual([]);
    expect(actionsFor('created')).toEqual([]);
    expect(actionsFor('other')).toEqual([]);
  });
});

describe('health and times', () => {
  it('reads Docker status suffixes and inspect health, ignoring Podman\'s empty status', () => {
    expect(healthFromStatusText('Up 1 minute (healthy)')).toBe('healthy');
    expect(healthFromStatusText('Up 1 minute (unhealthy)')).toBe('unhealthy');
    expect(healthFromStatusText('Up 1 second (health: starting)')).toBe('starting');
    expect(healthFromStatusText('Up 1 minute')).toBeNull();
    expect(healthFromInspect('')).toBeNull();
    expect(healthFromInspect('healthy')).toBe('healthy');
  });

  it('treats Go zero times as never', () => {
    expect(isoOrNull('0001-01-01T00:00:00Z')).toBeNull();
    expect(isoOrNull('')).toBeNull();
    expect(isoOrNull('2026-11-27T07:10:04.713222817Z')).toBe('2026-11-27T07:10:04.713222817Z');
  });
});

describe('rows from list results', () => {
  // Shape recorded from Podman 4.3's compat API (no Health, names with "/").
  const podmanListed = {
    Id: 'e585323fd710383c54ef06781b6c73595e2b68410fc44221f9f880d5777f3944',
    Names: ['/busy'],
    Image: 'localhost/kiops/busybox:1',
    ImageID: 'sha256:70c6f0ad2e35cb166f2637aff931499390340c8f55ef5effa10146606d225aa4',
    Command: 'sh -c while :; do :; done',
    Created: 1795763372,
    Ports: [{ PrivatePort: 80, PublicPort: 8080, IP: '127.0.0.1', Type: 'tcp' }],
    Labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'web' },
    State: 'running',
    Status: 'Up 11 seconds',
  } as unknown as ContainerInfo;

  it('keeps only what the table shows, with compose names, ports and inspect facts', () => {
    const row = containerRowOf(podmanListed, { startedAt: '2026-11-27T07:10:04.713Z', health: 'healthy' });
    expect(row).toEqual({
      id: podmanListed.Id,
      name: 'busy',
      image: 'localhost/kiops/busybox:1',
      state: 'running',
      statusText: 'Up 11 seconds',
      stateTone: 'running',
      actionsAvailable: ['restart'],
      ports: [{ containerPort: 80, protocol: 'tcp', hostPort: 8080, hostIp: '127.0.0.1' }],
      createdAt: new Date(1795763372 * 1000).toISOString(),
      startedAt: '2026-11-27T07:10:04.713Z',
      composeProject: 'shop',
      composeService: 'web',
      health: 'healthy',
    });
    expect(JSON.parse(JSON.stringify(row))).toEqual(row);
  });

  it('falls back to list facts when inspect failed', () => {
    const row = containerRowOf({ ...podmanListed, Status: 'Up 1 minute (unhealthy)', Labels: {} } as ContainerInfo, null);
    expect(row.startedAt).toBeNull();
    expect(row.health).toBe('unhealthy');
    expect(row.composeProject).toBeNull();
  });
});
