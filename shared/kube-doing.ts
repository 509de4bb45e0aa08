/**
 * What the app was doing when a Kubernetes request failed ("deleting pod shop/web-1"), as a key of
 * the window's `mainErrors.doing` phrases and the names in it. Main writes the English phrase into
 * its message ("… while deleting pod shop/web-1: …"); the window renders the key in its own language
 * into the keyed message's `{doing}`, so a Korean sentence says in Korean what the app was doing.
 * This table is the English (renderer/src/i18n/en-doing.ts shows it as is); its `{name}`s are data
 * (names, namespaces, counts), never prose.
 */
export const kubeDoingPhrases = {
  listNamespaces: 'listing namespaces',
  listDeploymentsIn: 'listing Deployments in namespace "{namespace}" of "{environment}"',
  listPodsOf: 'listing the pods of {target}',
  listPodsBoundToNodes: 'listing the pods bound to nodes',
  listConfigMapsOf: 'listing the config maps of {namespace}',
  listSecretsOf: 'listing the secrets of {namespace}',
  listServicesOf: 'listing the Services of {namespace}',
  listIngressesOf: 'listing the Ingresses of {namespace}',
  listHpasOf: 'listing the HPAs of {namespace}',
  listHorizontalPodAutoscalersOf: 'listing the HorizontalPodAutoscalers of {namespace}',
  listReplicaSetsOf: 'listing the replica sets of {deployment}',
  listApiGroups: 'listing the API groups',
  readPod: 'reading pod {pod}',
  readDeployment: 'reading deployment {deployment}',
  readLogs: 'reading logs of {pod} (container {container})',
  readPreviousLogs: 'reading the previous logs of {pod} (container {container})',
  readEventsOf: 'reading the events of {namespace}',
  readEvents: 'reading events',
  readNodes: 'reading nodes',
  readPodsIn: 'reading pods in {namespace}',
  readClaim: 'reading PersistentVolumeClaim {claim}',
  readObject: 'reading {kind} {object}',
  readIngress: 'reading Ingress {ingress}',
  readScaleOf: 'reading the scale of {deployment}',
  readApiService: 'reading APIService {apiService}',
  readPodMetrics: 'reading pod metrics',
  lookUpKind: 'looking up {apiVersion} {kind}',
  watchPodsOf: 'watching the pods of {target}',
  createObject: 'creating {kind} {object}',
  createIngress: 'creating Ingress {ingress}',
  createHpa: 'creating HPA {hpa}',
  replaceObject: 'replacing {kind} {object}',
  applyObject: 'applying {kind} {object}',
  updateObject: 'updating {kind} {object}',
  updateIngress: 'updating Ingress {ingress}',
  updateHpa: 'updating HPA {hpa}',
  updateDeployment: 'updating deployment {deployment}',
  scaleTo: 'scaling {deployment} to {replicas}',
  deletePod: 'deleting pod {pod}',
  deleteIngress: 'deleting Ingress {ingress}',
  deleteHpa: 'deleting HPA {hpa}',
  deleteDeployment: 'deleting deployment {deployment}',
  previewHpa: 'previewing HPA {hpa}',
  previewHpaDeletion: 'previewing the deletion of HPA {hpa}',
  previewScaleTo: 'previewing a scale of {deployment} to {replicas}',
  previewDeploymentChange: 'previewing a change of deployment {deployment}',
} as const;

export type DoingKey = keyof typeof kubeDoingPhrases;

type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/** The names a phrase takes, each a string or a number. */
export type DoingParams<K extends DoingKey> = Readonly<Record<Placeholders<(typeof kubeDoingPhrases)[K]>, string | number>>;

/** One phrase: its key, its names, and main's English of it. */
export interface KubeDoing {
  readonly key: DoingKey;
  readonly params: Readonly<Record<string, string | number>>;
  readonly english: string;
}

/** The phrase `key` with its names: `doing('deletePod', { pod: 'shop/web-1' })`. */
export function doing<K extends DoingKey>(key: K, ...params: [Placeholders<(typeof kubeDoingPhrases)[K]>] extends [never] ? [] : [DoingParams<K>]): KubeDoing {
  const names: Readonly<Record<string, string | number>> = params[0] ?? {};
  const english = kubeDoingPhrases[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in names ? String(names[name]) : whole));
  return { key, params: names, english };
}
