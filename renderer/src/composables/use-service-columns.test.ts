import { describe, expect, it, vi } from 'vitest';
import type { VNode } from 'vue';
import type { ServiceRow } from '../../../shared/contract/catalog.ts';
import { serviceColumns } from './use-service-columns.ts';

const row = (extra: Partial<ServiceRow> = {}): ServiceRow => ({
  id: 'e1:deployment:default/web',
  name: 'web',
  environmentId: 'e1',
  environmentName: 'prod cluster',
  runtime: 'kubernetes',
  production: true,
  namespace: 'default',
  target: { kind: 'deployment', namespace: 'default', deployment: 'web' },
  status: { health: 'degraded', ready: 1, desired: 2 },
  favourite: true,
  source: 'manual',
  stale: true,
  ...extra,
});
const t = (key: string, values?: Record<string, unknown>) => (values ? `${key} ${JSON.stringify(values)}` : key);

function cells(service: ServiceRow, actions = { favourite: vi.fn(), operate: vi.fn(), unregister: vi.fn() }) {
  const columns = serviceColumns(t, actions);
  return Object.fromEntries(columns.map((column) => [column.key, column.render(service)])) as Record<string, VNode | string>;
}

/** Every element of a cell, depth first. */
function elements(node: VNode | string | null | undefined): VNode[] {
  if (node === null || node === undefined || typeof node === 'string') return [];
  return [node, ...(Array.isArray(node.children) ? (node.children as VNode[]).flatMap((child) => elements(child)) : [])];
}
const byTestId = (node: VNode | string | undefined, id: string) => elements(node).find((element) => element.props?.['data-testid'] === id);

describe('Service Management rows', () => {
  it('are plain elements, no components, keeping the test ids and data attributes', () => {
    const row1 = cells(row());
    for (const cell of Object.values(row1)) for (const element of elements(cell)) expect(typeof element.type, String(element.type)).toBe('string');
    expect(byTestId(row1.favourite, 'service-favourite')?.props).toMatchObject({ type: 'button', 'data-favourite': 'true', 'aria-label': 'services.unfavourite', title: 'services.unfavourite' });
    expect(byTestId(row1.name, 'service-name')?.children).toBe('web');
    expect(byTestId(row1.runtime, 'service-runtime')?.children).toBe('services.runtime.kubernetes');
    expect(byTestId(row1.status, 'service-status')?.props).toMatchObject({ 'data-health': 'degraded' });
    expect(byTestId(row1.status, 'service-stale')?.props).toMatchObject({ title: 'services.staleHint' });
    expect(byTestId(row1.actions, 'service-operate')?.type).toBe('button');
    expect(byTestId(row1.actions, 'service-unregister')?.type).toBe('button');
  });

  it('draws the tags naive-ui would: manual, production, health by colour, stale', () => {
    const row1 = cells(row());
    const tags = (cell: VNode | string | undefined) => elements(cell).filter((element) => String(element.props?.class).startsWith('small-tag'));
    expect(tags(row1.name).map((tag) => [tag.props?.class, tag.children])).toEqual([['small-tag small-tag--default', 'services.manual']]);
    expect(tags(row1.environment).map((tag) => [tag.props?.class, tag.children])).toEqual([['small-tag small-tag--error', 'services.production']]);
    expect(tags(row1.status).map((tag) => tag.props?.class)).toEqual(['small-tag small-tag--warning', 'small-tag small-tag--warning']);
    const plain = cells(row({ production: false, source: 'discovered', stale: undefined, favourite: false, namespace: undefined, status: { health: 'healthy', ready: 2, desired: 2 } }));
    expect(tags(plain.name)).toEqual([]);
    expect(tags(plain.environment)).toEqual([]);
    expect(tags(plain.status).map((tag) => tag.props?.class)).toEqual(['small-tag small-tag--success']);
    expect(byTestId(plain.status, 'service-stale')).toBeUndefined();
    expect(byTestId(plain.actions, 'service-unregister')).toBeUndefined();
    expect(byTestId(plain.favourite, 'service-favourite')?.props).toMatchObject({ 'data-favourite': 'false', 'aria-label': 'services.favourite' });
    expect(elements(plain.namespace)[0]?.children).toBe('—');
  });

  it('runs the row actions on click', () => {
    const actions = { favourite: vi.fn(), operate: vi.fn(), unregister: vi.fn() };
    const service = row();
    const row1 = cells(service, actions);
    for (const [cell, id] of [
      [row1.favourite, 'service-favourite'],
      [row1.actions, 'service-operate'],
      [row1.actions, 'service-unregister'],
    ] as const)
      (byTestId(cell, id)?.props?.onClick as () => void)();
    expect(actions.favourite).toHaveBeenCalledWith(service);
    expect(actions.operate).toHaveBeenCalledWith(service);
    expect(actions.unregister).toHaveBeenCalledWith(service);
  });
});
