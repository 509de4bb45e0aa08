// meta.k8s.io/v1 Table responses with the columns kube-apiserver's printers produce, so
// `kubectl get` (and `-o wide`, which shows priority-1 columns) prints what it prints against
// a real cluster.

import { ageOf } from '../model/time.ts';
import { podDisplay } from '../model/pod-display.ts';
import { selectorToString } from '../model/selectors.ts';
import type { KubeObject } from '../model/types.ts';
import { AGGREGATION_TABLES } from './tables-aggregation.ts';
import { WORKLOAD_TABLES } from './tables-workloads.ts';
import { arr, column, rec, str, type TablePrinter } from './table-cells.ts';

function none(value: string): string {
  return value === '' ? '<none>' : value;
}

const name = (object: KubeObject): string => object.metadata.name ?? '';
const age = (object: KubeObject, now: number): string => ageOf(object.metadata.creationTimestamp, now);

export const DEFAULT_TABLE: TablePrinter = {
  columns: [column('Name'), column('Created At', 'date')],
  cells: (object) => [name(object), object.metadata.creationTimestamp ?? ''],
};

const pods: TablePrinter = {
  columns: [column('Name'), column('Ready'), column('Status'), column('Restarts'), column('Age'), column('IP', 'string', 1), column('Node', 'string', 1), column('Nominated Node', 'string', 1), column('Readiness Gates', 'string', 1)],
  cells(object, now) {
    const pod = object as unknown as Parameters<typeof podDisplay>[0];
    const display = podDisplay(pod, now);
    const status = rec(object.status);
    return [name(object), display.ready, display.status, display.restarts, age(object, now), none(str(status.podIP)), none(str(rec(object.spec).nodeName)), none(str(status.nominatedNodeName)), '<none>'];
  },
};

function objectTable(extra: { title: string; value: (object: KubeObject) => string; priority?: number }[]): TablePrinter {
  return {
    columns: [column('Name'), ...extra.map((entry) => column(entry.title, 'string', entry.priority ?? 0)), column('Age')],
    cells: (object, now) => [name(object), ...extra.map((entry) => entry.value(object)), age(object, now)],
  };
}

const configmaps = objectTable([{ title: 'Data', value: (object) => String(Object.keys(rec(object.data)).length + Object.keys(rec(object.binaryData)).length) }]);
const secrets = objectTable([
  { title: 'Type', value: (object) => str(object.type) },
  { title: 'Data', value: (object) => String(Object.keys(rec(object.data)).length) },
]);
const namespaces = objectTable([{ title: 'Status', value: (object) => str(rec(object.status).phase) || 'Active' }]);
const serviceaccounts = objectTable([{ title: 'Secrets', value: (object) => String(arr(object.secrets).length) }]);

const endpoints = objectTable([
  {
    title: 'Endpoints',
    value(object) {
      const addresses: string[] = [];
      for (const subset of arr(object.subsets)) {
        const ports = arr(rec(subset).ports).map((port) => rec(port).port);
        for (const address of arr(rec(subset).addresses)) {
          const ip = str(rec(address).ip);
          if (ports.length === 0) addresses.push(ip);
          for (const port of ports) addresses.push(`${ip}:${String(port)}`);
        }
      }
      if (addresses.length === 0) return '<none>';
      return addresses.length > 3 ? `${addresses.slice(0, 3).join(',')} + ${addresses.length - 3} more...` : addresses.join(',');
    },
  },
]);

const services: TablePrinter = {
  columns: [column('Name'), column('Type'), column('Cluster-IP'), column('External-IP'), column('Port(s)'), column('Age'), column('Selector', 'string', 1)],
  cells(object, now) {
    const spec = rec(object.spec);
    const ports = arr(spec.ports)
      .map((raw) => {
        const port = rec(raw);
        const nodePort = port.nodePort ? `:${String(port.nodePort)}` : '';
        return `${String(port.port)}${nodePort}/${str(port.protocol) || 'TCP'}`;
      })
      .join(',');
    const type = str(spec.type) || 'ClusterIP';
    const ingress = arr(rec(rec(object.status).loadBalancer).ingress).map((entry) => str(rec(entry).ip) || str(rec(entry).hostname));
    const external = [...arr(spec.externalIPs).map(str), ...ingress].filter(Boolean);
    const externalText = external.length > 0 ? external.join(',') : type === 'LoadBalancer' ? '<pending>' : '<none>';
    const selector = Object.entries(rec(spec.selector))
      .map(([key, value]) => `${key}=${str(value)}`)
      .join(',');
    return [name(object), type, str(spec.clusterIP) || '<none>', externalText, ports || '<none>', age(object, now), none(selector)];
  },
};

const nodes: TablePrinter = {
  columns: [column('Name'), column('Status'), column('Roles'), column('Age'), column('Version'), column('Internal-IP', 'string', 1), column('External-IP', 'string', 1), column('OS-Image', 'string', 1), column('Kernel-Version', 'string', 1), column('Container-Runtime', 'string', 1)],
  cells(object, now) {
    const status = rec(object.status);
    const ready = arr(status.conditions).map(rec).find((condition) => condition.type === 'Ready');
    const states = [ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'];
    if (rec(object.spec).unschedulable === true) states.push('SchedulingDisabled');
    const roles = Object.keys(object.metadata.labels ?? {})
      .filter((key) => key.startsWith('node-role.kubernetes.io/'))
      .map((key) => key.slice('node-role.kubernetes.io/'.length))
      .sort();
    const info = rec(status.nodeInfo);
    const address = (type: string): string => str(arr(status.addresses).map(rec).find((entry) => entry.type === type)?.address) || '<none>';
    return [name(object), states.join(','), roles.length > 0 ? roles.join(',') : '<none>', age(object, now), str(info.kubeletVersion), address('InternalIP'), address('ExternalIP'), str(info.osImage), str(info.kernelVersion), str(info.containerRuntimeVersion)];
  },
};

const events: TablePrinter = {
  columns: [column('Last Seen'), column('Type'), column('Reason'), column('Object'), column('Subobject', 'string', 1), column('Source', 'string', 1), column('Message'), column('First Seen', 'string', 1), column('Count', 'string', 1), column('Name', 'string', 1)],
  cells(object, now) {
    const involved = rec(object.involvedObject);
    const source = rec(object.source);
    const first = str(object.firstTimestamp) || str(object.eventTime) || object.metadata.creationTimestamp;
    const last = str(object.lastTimestamp) || first;
    const count = typeof object.count === 'number' ? object.count : 1;
    const lastSeen = count > 1 ? `${ageOf(last, now)} (x${count} over ${ageOf(first, now)})` : ageOf(last, now);
    const sourceText = [str(source.component) || str(object.reportingComponent), str(source.host)].filter(Boolean).join(', ');
    return [lastSeen, str(object.type), str(object.reason), `${str(involved.kind).toLowerCase()}/${str(involved.name)}`, str(involved.fieldPath), sourceText, str(object.message), ageOf(first, now), String(count), name(object)];
  },
};

const pvcs: TablePrinter = {
  columns: [column('Name'), column('Status'), column('Volume'), column('Capacity'), column('Access Modes'), column('StorageClass'), column('VolumeAttributesClass'), column('Age'), column('VolumeMode', 'string', 1)],
  cells(object, now) {
    const spec = rec(object.spec);
    const status = rec(object.status);
    const modes = arr(status.accessModes).map((mode) => ({ ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' })[str(mode)] ?? str(mode));
    return [name(object), str(status.phase) || 'Pending', str(spec.volumeName), str(rec(status.capacity).storage), modes.join(','), str(spec.storageClassName) || '<unset>', '<unset>', age(object, now), str(spec.volumeMode) || 'Filesystem'];
  },
};

const ingresses: TablePrinter = {
  columns: [column('Name'), column('Class'), column('Hosts'), column('Address'), column('Ports'), column('Age')],
  cells(object, now) {
    const spec = rec(object.spec);
    const hosts = arr(spec.rules)
      .map((rule) => str(rec(rule).host))
      .filter(Boolean);
    const addresses = arr(rec(rec(object.status).loadBalancer).ingress).map((entry) => str(rec(entry).ip) || str(rec(entry).hostname));
    const ports = arr(spec.tls).length > 0 ? '80, 443' : '80';
    const hostText = hosts.length === 0 ? '*' : hosts.length > 4 ? `${hosts.slice(0, 4).join(',')} + ${hosts.length - 4} more...` : hosts.join(',');
    return [name(object), str(spec.ingressClassName) || '<none>', hostText, addresses.join(','), ports, age(object, now)];
  },
};

const ingressclasses = objectTable([
  { title: 'Controller', value: (object) => str(rec(object.spec).controller) },
  {
    title: 'Parameters',
    value(object) {
      const parameters = rec(rec(object.spec).parameters);
      if (!parameters.kind) return '<none>';
      return `${str(parameters.kind)}.${str(parameters.apiGroup)}/${str(parameters.name)}`;
    },
  },
]);

export const TABLES: Record<string, TablePrinter> = {
  pods,
  configmaps,
  secrets,
  namespaces,
  serviceaccounts,
  endpoints,
  services,
  nodes,
  events,
  persistentvolumeclaims: pvcs,
  'ingresses.networking.k8s.io': ingresses,
  'ingressclasses.networking.k8s.io': ingressclasses,
  ...WORKLOAD_TABLES,
  ...AGGREGATION_TABLES,
};

export { selectorToString };

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(object: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

export function buildTable(typeKey: string, objects: KubeObject[], listMeta: Record<string, unknown>, include: IncludeObject, withColumns = true): unknown {
  const printer = TABLES[typeKey] ?? DEFAULT_TABLE;
  const now = Date.now();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: withColumns ? printer.columns : null,
    rows: objects.map((object) => ({ cells: printer.cells(object, now), object: rowObject(object, include) })),
  };
}
