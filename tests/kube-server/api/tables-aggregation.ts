// Table columns of the RBAC bindings and APIServices as kube-apiserver and kube-aggregator
// print them (`kubectl get clusterrolebindings,apiservices`); roles use the default table.

import { ageOf } from '../model/time.ts';
import type { KubeObject } from '../model/types.ts';
import { arr, column, rec, str, type TablePrinter } from './table-cells.ts';

const age = (object: KubeObject, now: number): string => ageOf(object.metadata.creationTimestamp, now);

function subjectsOf(object: KubeObject, kind: string): string {
  return arr(object.subjects)
    .map(rec)
    .filter((subject) => subject.kind === kind)
    .map((subject) => (kind === 'ServiceAccount' ? `${str(subject.namespace)}/${str(subject.name)}` : str(subject.name)))
    .join(', ');
}

const bindings: TablePrinter = {
  columns: [column('Name'), column('Role'), column('Age'), column('Users', 'string', 1), column('Groups', 'string', 1), column('ServiceAccounts', 'string', 1)],
  cells(object, now) {
    const roleRef = rec(object.roleRef);
    return [object.metadata.name ?? '', `${str(roleRef.kind)}/${str(roleRef.name)}`, age(object, now), subjectsOf(object, 'User'), subjectsOf(object, 'Group'), subjectsOf(object, 'ServiceAccount')];
  },
};

const apiservices: TablePrinter = {
  columns: [column('Name'), column('Service'), column('Available'), column('Age')],
  cells(object, now) {
    const service = rec(rec(object.spec).service);
    const available = arr(rec(object.status).conditions)
      .map(rec)
      .find((condition) => condition.type === 'Available');
    const availableText = !available ? 'Unknown' : available.status === 'True' ? 'True' : `${str(available.status)} (${str(available.reason)})`;
    return [object.metadata.name ?? '', service.name ? `${str(service.namespace)}/${str(service.name)}` : 'Local', availableText, age(object, now)];
  },
};

export const AGGREGATION_TABLES: Record<string, TablePrinter> = {
  'rolebindings.rbac.authorization.k8s.io': bindings,
  'clusterrolebindings.rbac.authorization.k8s.io': bindings,
  'apiservices.apiregistration.k8s.io': apiservices,
};
