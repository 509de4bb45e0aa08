import type { ContainerInfo } from 'dockerode';
import { describe, expect, it } from 'vitest';
import { belongsTo, groupIntoServices } from './service-discovery.ts';

function listed(name: string, state: string, labels: Record<string, string> = {}): ContainerInfo {
  return { Id: `id-${name}`, Names: [`/${name}`], Image: 'kiops/busybox:1', Labels: labels, State: state, Status: state === 'running' ? 'Up 1 minute' : 'Exited (0)', Created: 0, Ports: [] } as unknown as ContainerInfo;
}
const compose = (project: string, service: string) => ({ 'com.docker.compose.project': project, 'com.docker.compose.service': service });

describe('grouping containers into services', () => {
  it('groups by compose project, keeps lone containers as their own service, projects first', () => {
    const services = groupIntoServices([
      listed('shop-web-1', 'running', compose('shop', 'web')),
      listed('zeta', 'running'),
      listed('shop-db-1', 'exited', compose('shop', 'db')),
      listed('alpha', 'exited'),
    ]);
    expect(services.map((service) => service.key)).toEqual(['compose:shop', 'container:alpha', 'container:zeta']);
    const shop = services[0];
    expect(shop?.containerCount).toBe(2);
    expect(shop?.runningCount).toBe(1);
    expect(shop?.members).toEqual([
      { id: 'id-shop-db-1', name: 'shop-db-1', composeService: 'db' },
      { id: 'id-shop-web-1', name: 'shop-web-1', composeService: 'web' },
    ]);
    expect(services[1]).toMatchObject({ selector: { kind: 'standalone', containerName: 'alpha' }, containerCount: 1, runningCount: 0 });
  });

  it('matches exactly: a name filter\'s pattern match or a project member is not a standalone service', () => {
    expect(belongsTo({ kind: 'standalone', containerName: 'web' }, 'web-2', {})).toBe(false);
    expect(belongsTo({ kind: 'standalone', containerName: 'web' }, 'web', compose('shop', 'web'))).toBe(false);
    expect(belongsTo({ kind: 'compose', project: 'shop' }, 'anything', compose('shop', 'web'))).toBe(true);
    expect(belongsTo({ kind: 'compose', project: 'shop' }, 'anything', compose('shop2', 'web'))).toBe(false);
  });
});
