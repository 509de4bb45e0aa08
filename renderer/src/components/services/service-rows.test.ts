import { describe, expect, it } from 'vitest';
import type { ServiceRow } from '../../../../shared/contract/catalog.ts';
import { filterServices, mergeListing, sortServices, type ServiceFilters } from './service-rows.ts';

const row = (name: string, extra: Partial<ServiceRow> = {}): ServiceRow => ({
  id: `e1:deployment:default/${name}`,
  name,
  environmentId: 'e1',
  environmentName: 'dev cluster',
  runtime: 'kubernetes',
  production: false,
  namespace: 'default',
  target: { kind: 'deployment', namespace: 'default', deployment: name },
  status: { health: 'healthy', ready: 1, desired: 1 },
  favourite: false,
  source: 'discovered',
  ...extra,
});
const none: ServiceFilters = { search: '', environmentId: null, runtime: null, health: null };

describe('service rows', () => {
  it('filters by words in name, environment or namespace, and by environment, runtime and status', () => {
    const rows = [row('web'), row('api', { environmentId: 'e2', environmentName: 'docker host', runtime: 'docker', status: { health: 'down', ready: 0, desired: 1 } })];
    expect(filterServices(rows, { ...none, search: 'WEB dev' }).map((r) => r.name)).toEqual(['web']);
    expect(filterServices(rows, { ...none, runtime: 'docker' }).map((r) => r.name)).toEqual(['api']);
    expect(filterServices(rows, { ...none, health: 'healthy' }).map((r) => r.name)).toEqual(['web']);
    expect(filterServices(rows, { ...none, environmentId: 'e2', search: 'web' })).toEqual([]);
  });

  it('pins favourites on top', () => {
    expect(sortServices([row('a'), row('b', { favourite: true }), row('c')]).map((r) => r.name)).toEqual(['b', 'a', 'c']);
  });

  it('replaces only the retried environment', () => {
    const current = { services: [row('web'), row('api', { environmentId: 'e2' })], environments: [] };
    const merged = mergeListing(current, {
      services: [row('worker', { environmentId: 'e2' })],
      environments: [{ environmentId: 'e2', environmentName: 'x', runtime: 'docker', production: false, state: 'ok' }],
    });
    expect(merged.services.map((r) => r.name)).toEqual(['web', 'worker']);
    expect(merged.environments.map((e) => e.environmentId)).toEqual(['e2']);
  });
});
