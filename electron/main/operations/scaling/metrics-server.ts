import { ApisApi, AppsV1Api, CustomObjectsApi, KubernetesObjectApi, type KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import { AppError, detailPart, type MessageText } from '../../../../shared/errors.ts';
import { doing, kubeStatusCode, kubernetesError } from '../kubernetes/kube-errors.ts';
import type { KubeDoing } from '../../../../shared/kube-doing.ts';
import { metricsServerManifest, metricsServerName, metricsServerNamespace, type ManifestObject } from './metrics-server-manifest.ts';

export interface MetricsServerStatus {
  readonly installed: boolean;
  readonly ready: boolean;
  readonly version: string | null;
  readonly problem: string | null;
  /** `problem` as a key for the window's language. */
  readonly problemText?: MessageText;
}

/** KubernetesObjectApi with its discovery lookup exposed: which manifest kinds this API server serves. */
class ManifestApi extends KubernetesObjectApi {
  async serves(apiVersion: string, kind: string): Promise<boolean> {
    return (await this.resource(apiVersion, kind)) !== undefined;
  }
}

export interface AppliedObject {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | null;
  readonly result: 'created' | 'updated' | 'failed';
  /** Why an object failed, in the API server's words. */
  readonly note: string | null;
  /** `note` as a key for the window's language, when main keyed it. */
  readonly noteText?: MessageText | undefined;
}

export type InstalledObject = AppliedObject & { readonly result: 'created' | 'updated' };

/** The APIService the HPA controller reads CPU through; installed means this one is Available. */
export const metricsApiServiceName = 'v1beta1.metrics.k8s.io';

export interface InstallOptions {
  /** How long to wait for the APIService to turn Available (default 60 s). */
  readonly availableTimeoutMs?: number;
  readonly pollMs?: number;
}

const describeObject = (object: Pick<AppliedObject, 'kind' | 'name' | 'namespace'>): string => `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;

/** An object's kind and namespaced name, as a `doing` phrase names them (`describeObject` in two). */
const objectNames = (object: Pick<AppliedObject, 'kind' | 'name' | 'namespace'>) => ({ kind: object.kind, object: `${object.namespace ? `${object.namespace}/` : ''}${object.name}` });

const metricsGroup = 'metrics.k8s.io';

/** Each failed object as "<object> (<note>)" keyed, or nothing when a note is not keyed. */
function failedObjectsPart(failed: readonly AppliedObject[]): Pick<MessageText, 'parts'> {
  const texts: MessageText[] = [];
  for (const object of failed) {
    if (object.noteText === undefined) return {};
    texts.push({ key: 'statusReasons.metricsServer.objectFailed', params: { object: describeObject(object) }, parts: { note: [object.noteText] } });
  }
  return { parts: { detail: texts } };
}

/** The spec's troubleshooting line for "HPA creation failure", said where it happens. */
export const metricsServerMissing =
  'HPA creation failure: Metrics Server is not installed in this cluster (metrics.k8s.io is not served), so the HPA could not read CPU usage. Install it from the Pod List tab, then create the HPA again.';

async function attempt<T>(what: KubeDoing, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw kubernetesError(error, what);
  }
}

/**
 * Whether the cluster has a working Metrics Server, and installing it from the embedded
 * manifest. "Installed" is what the HPA controller needs: metrics.k8s.io served (discovery),
 * or at least the metrics-server Deployment in kube-system. Readiness also asks the metrics API
 * for the service's namespace, which is exactly the read the HPA controller will make.
 */
export class MetricsServer {
  private readonly kubeConfig: KubeConfig;

  constructor(kubeConfig: KubeConfig) {
    this.kubeConfig = kubeConfig;
  }

  async status(namespace: string): Promise<MetricsServerStatus> {
    let served: boolean;
    try {
      const groups = await this.kubeConfig.makeApiClient(ApisApi).getAPIVersions();
      served = groups.groups.some((group) => group.name === metricsGroup);
    } catch (error) {
      const failure = kubernetesError(error, doing('listApiGroups'));
      const detail = failure.message;
      return { installed: false, ready: false, version: null, problem: `Cannot check for Metrics Server: ${detail}`, problemText: { key: 'operations.scaling.metricsStatus.cannotCheck', params: { detail }, ...detailPart(failure.text) } };
    }
    const deployment = await this.readDeployment();
    const version = deployment ? (deployment.spec?.template.spec?.containers[0]?.image?.split(':').pop() ?? null) : null;
    if (!served) {
      if (!deployment) return { installed: false, ready: false, version: null, problem: metricsServerMissing, problemText: { key: 'operations.scaling.metricsServerMissing' } };
      const problemText = { key: 'operations.scaling.metricsStatus.notServed', params: { deployment: metricsServerName, namespace: metricsServerNamespace } };
      return { installed: true, ready: false, version, problem: `The ${metricsServerName} Deployment exists in ${metricsServerNamespace}, but metrics.k8s.io is not served (its APIService is missing or unavailable). Reinstall it.`, problemText };
    }
    const probe = await this.probe(namespace);
    if (probe !== null) {
      const problemText = { key: 'operations.scaling.metricsStatus.notAnswering', params: { detail: probe.message }, ...detailPart(probe.text) };
      return { installed: true, ready: false, version, problem: `metrics.k8s.io is registered but does not answer yet: ${probe.message}`, problemText };
    }
    if (deployment && (deployment.status?.readyReplicas ?? 0) < 1) {
      const replicas = deployment.spec?.replicas ?? 1;
      return { installed: true, ready: false, version, problem: `${metricsServerName} has no ready pod yet (0/${replicas} ready).`, problemText: { key: 'operations.scaling.metricsStatus.noReadyPod', params: { deployment: metricsServerName, replicas } } };
    }
    return { installed: true, ready: true, version, problem: null };
  }

  /**
   * Applies every object of the manifest (created when missing, replaced when present), then
   * waits for the v1beta1.metrics.k8s.io APIService to be Available. Succeeds only then: a
   * partial install throws, naming each object that failed and why (a kind the API server
   * does not serve is a failure, never a skip); so does an APIService that stays unavailable.
   */
  async install(reinstall: boolean, options: InstallOptions = {}): Promise<InstalledObject[]> {
    const applied = await this.applyAll(reinstall);
    const failed = applied.filter((object) => object.result === 'failed');
    const succeeded = applied.filter((object): object is InstalledObject => object.result !== 'failed');
    if (failed.length > 0) {
      const detail = failed.map((object) => `${describeObject(object)} (${object.note ?? 'unknown error'})`).join('; ');
      throw new AppError(
        'CONFLICT',
        `Metrics Server is installed only in part: ${applied.length - failed.length} of ${applied.length} objects applied. Failed: ${detail}.`,
        { applied: applied.map((object) => `${describeObject(object)}: ${object.result}`), failed: failed.map((object) => ({ object: describeObject(object), reason: object.note ?? '' })) },
        { key: 'operations.scaling.metricsServerPartial', params: { applied: applied.length - failed.length, total: applied.length, detail }, ...failedObjectsPart(failed) },
      );
    }
    await this.waitUntilAvailable(options.availableTimeoutMs ?? 60_000, options.pollMs ?? 500);
    return succeeded;
  }

  /** Polls the APIService's Available condition; throws with its last reason at the deadline. */
  private async waitUntilAvailable(timeoutMs: number, pollMs: number): Promise<void> {
    const objects = this.kubeConfig.makeApiClient(KubernetesObjectApi);
    const deadline = Date.now() + timeoutMs;
    let last = 'it has no Available condition yet';
    // The condition's reason and message are the cluster's own words; only main's sentences are keyed.
    let lastText: MessageText | undefined = { key: 'statusReasons.metricsServer.noAvailableCondition' };
    for (;;) {
      try {
        const apiService = (await objects.read({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: metricsApiServiceName } })) as { status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } };
        const available = apiService.status?.conditions?.find((condition) => condition.type === 'Available');
        if (available?.status === 'True') return;
        if (available) {
          last = `${available.reason ?? 'not available'}: ${available.message ?? ''}`.trim();
          lastText = undefined;
        }
      } catch (error) {
        const failure = kubernetesError(error, doing('readApiService', { apiService: metricsApiServiceName }));
        last = failure.message;
        lastText = failure.text;
      }
      if (Date.now() >= deadline) {
        throw new AppError(
          'TIMEOUT',
          `Every Metrics Server object was applied, but APIService ${metricsApiServiceName} is not Available after ${Math.round(timeoutMs / 1000)} s (${last}). Check the ${metricsServerName} pods in ${metricsServerNamespace} (image pull, readiness), then install again.`,
          { apiService: metricsApiServiceName, lastCondition: last },
          { key: 'operations.scaling.metricsServerNotAvailable', params: { apiService: metricsApiServiceName, seconds: Math.round(timeoutMs / 1000), detail: last, deployment: metricsServerName, namespace: metricsServerNamespace }, ...detailPart(lastText) },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  private async applyAll(reinstall: boolean): Promise<AppliedObject[]> {
    const objects = this.kubeConfig.makeApiClient(ManifestApi);
    if (reinstall) {
      try {
        await this.kubeConfig.makeApiClient(AppsV1Api).deleteNamespacedDeployment({ name: metricsServerName, namespace: metricsServerNamespace, propagationPolicy: 'Background' });
      } catch (error) {
        if (kubeStatusCode(error) !== 404) throw kubernetesError(error, doing('deleteDeployment', { deployment: `${metricsServerNamespace}/${metricsServerName}` }));
      }
    }
    const applied: AppliedObject[] = [];
    for (const object of metricsServerManifest) {
      const base = { kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace ?? null };
      try {
        applied.push(await this.applyOne(objects, object));
      } catch (error) {
        const failure = error instanceof AppError ? error : kubernetesError(error, doing('applyObject', objectNames(base)));
        applied.push({ ...base, result: 'failed', note: failure.message, noteText: failure.text });
      }
    }
    return applied;
  }

  private async applyOne(objects: ManifestApi, object: ManifestObject): Promise<AppliedObject> {
    const { kind, apiVersion } = object;
    const { name } = object.metadata;
    const namespace = object.metadata.namespace ?? null;
    const base = { kind, name, namespace };
    let served: boolean;
    try {
      served = await objects.serves(apiVersion, kind);
    } catch (error) {
      if (kubeStatusCode(error) !== 404) throw kubernetesError(error, doing('lookUpKind', { apiVersion, kind }));
      served = false;
    }
    if (!served) return { ...base, result: 'failed', note: `the API server does not serve ${apiVersion} ${kind}`, noteText: { key: 'statusReasons.metricsServer.kindNotServed', params: { apiVersion, kind } } };
    let existing: ManifestObject | undefined;
    try {
      existing = (await objects.read({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } })) as ManifestObject;
    } catch (error) {
      if (kubeStatusCode(error) !== 404) throw kubernetesError(error, doing('readObject', objectNames(base)));
    }
    if (!existing) {
      await attempt(doing('createObject', objectNames(base)), () => objects.create(object));
      return { ...base, result: 'created', note: null };
    }
    const resourceVersion = existing.metadata.resourceVersion;
    await attempt(doing('replaceObject', objectNames(base)), () => objects.replace({ ...object, metadata: { ...object.metadata, ...(resourceVersion ? { resourceVersion } : {}) } }));
    return { ...base, result: 'updated', note: null };
  }

  /** undefined: cannot tell (not allowed to read kube-system); null: not there. */
  private async readDeployment(): Promise<V1Deployment | null | undefined> {
    try {
      return await this.kubeConfig.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: metricsServerName, namespace: metricsServerNamespace });
    } catch (error) {
      return kubeStatusCode(error) === 404 ? null : undefined;
    }
  }

  /** null when the metrics API answers (or refuses this user: then it is there, just not for us). */
  /** null when metrics answer (or the read is forbidden: then the HPA controller's own read decides); else why not. */
  private async probe(namespace: string): Promise<AppError | null> {
    try {
      await this.kubeConfig.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({ group: metricsGroup, version: 'v1beta1', namespace, plural: 'pods', limit: 1 });
      return null;
    } catch (error) {
      if (kubeStatusCode(error) === 403) return null;
      return kubernetesError(error, doing('readPodMetrics'));
    }
  }
}
