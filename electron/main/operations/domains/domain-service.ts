import { AppsV1Api, CoreV1Api, NetworkingV1Api, type V1Ingress, type V1Service } from '@kubernetes/client-node';
import type { DomainListView } from '../../../../shared/contract/domains.ts';
import { AppError, type MessageText } from '../../../../shared/errors.ts';
import { previewOf, type ChangePreview } from '../changes/change-preview.ts';
import { diffObjects, diffSummary } from '../changes/object-diff.ts';
import { doing, kubeStatusCode, kubernetesError, kubeRequest } from '../kubernetes/kube-errors.ts';
import type { KubernetesAccess, KubernetesServiceRef, PermissionGate } from '../kubernetes/kubernetes-access.ts';
import type { AuditedRunner } from '../kubernetes/pod-actions.ts';
import { addRoute, backendServiceRow, domainRules, removeRoute, routesAnything, servicesSelecting, type NewRoute } from './ingress-rules.ts';

export interface DomainServiceOptions {
  readonly access: KubernetesAccess;
  readonly service: KubernetesServiceRef;
  readonly audit: AuditedRunner;
  readonly permissions: PermissionGate;
  readonly production: boolean;
}

export interface DomainRequest {
  readonly host: string;
  readonly path: string;
  readonly pathType: string;
  readonly service?: string | undefined;
  readonly servicePort: number;
  readonly tlsSecret?: string | undefined;
  readonly ingressClass?: string | undefined;
}

/**
 * Domain Settings for one Kubernetes service: Ingress rules (networking.k8s.io/v1) whose
 * backend is a Service selecting the Deployment's pods. New routes go into the Ingress named
 * after the Deployment; changes are replaced with the resourceVersion just read, so a
 * concurrent edit is a CONFLICT rather than a lost update.
 */
export class DomainService {
  private readonly options: DomainServiceOptions;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly networking: NetworkingV1Api;

  constructor(options: DomainServiceOptions) {
    this.options = options;
    this.core = options.access.kubeConfig.makeApiClient(CoreV1Api);
    this.apps = options.access.kubeConfig.makeApiClient(AppsV1Api);
    this.networking = options.access.kubeConfig.makeApiClient(NetworkingV1Api);
  }

  async list(): Promise<DomainListView> {
    const { namespace, deployment } = this.options.service;
    const limitations: string[] = [];
    const limitationTexts: MessageText[] = [];
    const [services, ingresses, classes] = await Promise.all([
      this.backendServices(),
      this.ingresses(),
      this.networking.listIngressClass().catch(() => {
        limitations.push('Ingress classes could not be listed (a cluster-wide read); new routes use the cluster default class.');
        limitationTexts.push({ key: 'operations.limitations.ingressClasses' });
        return { items: [] };
      }),
    ]);
    return {
      namespace,
      deployment,
      rules: domainRules(ingresses, new Set(services.map((service) => service.metadata?.name ?? ''))),
      services: services.map(backendServiceRow),
      ingressClasses: classes.items.map((item) => ({
        name: item.metadata?.name ?? '',
        isDefault: item.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true',
      })),
      limitations,
      limitationTexts,
    };
  }

  add(request: DomainRequest): Promise<{ ingress: string; created: boolean }> {
    return this.audited('domain.add', request.host, request.path, { pathType: request.pathType, port: request.servicePort, ...(request.tlsSecret ? { tlsSecret: request.tlsSecret } : {}) }, async () => {
      await this.requireManagement();
      const { ingress, created, before, after } = await this.applyAdd(request, false);
      return { ingress, created, diff: diffSummary(diffObjects(before, after)) };
    }).then(({ ingress, created }) => ({ ingress, created }));
  }

  remove(host: string, path: string): Promise<{ ingress: string; deletedIngress: boolean }> {
    return this.audited('domain.remove', host, path, {}, async () => {
      await this.requireManagement();
      const { ingress, deletedIngress, before, after } = await this.applyRemove(host, path, false);
      return { ingress, deletedIngress, diff: diffSummary(diffObjects(before, after)) };
    }).then(({ ingress, deletedIngress }) => ({ ingress, deletedIngress }));
  }

  /** The Ingress change add/remove would send, with dryRun=All: the API server validates it and stores nothing. */
  preview(change: ({ action: 'add' } & DomainRequest) | { action: 'remove'; host: string; path: string }): Promise<ChangePreview> {
    const { namespace, deployment } = this.options.service;
    return previewOf(`${namespace}/ingress/${deployment}`, () => (change.action === 'add' ? this.applyAdd(change, true) : this.applyRemove(change.host, change.path, true)));
  }

  private async applyAdd(request: DomainRequest, dryRun: boolean): Promise<{ ingress: string; created: boolean; before: unknown; after: unknown }> {
    const dry = dryRun ? { dryRun: 'All' } : {};
    const backend = this.pickBackend(await this.backendServices(), request);
    const taken = (await this.ingresses()).find((ingress) => (ingress.spec?.rules ?? []).some((rule) => rule.host === request.host && (rule.http?.paths ?? []).some((path) => (path.path ?? '/') === request.path)));
    if (taken) throw new AppError('CONFLICT', `${request.host}${request.path} is already routed by Ingress ${this.where(taken.metadata?.name ?? '')}.`, undefined, { key: 'operations.domains.ingressTaken', params: { route: `${request.host}${request.path}`, ingress: this.where(taken.metadata?.name ?? '') } });
    const route: NewRoute = { host: request.host, path: request.path, pathType: request.pathType, service: backend, port: request.servicePort, tlsSecret: request.tlsSecret };
    const { namespace, deployment: name } = this.options.service;
    const existing = await this.networking.readNamespacedIngress({ name, namespace }).catch((error: unknown) => {
      if (kubeStatusCode(error) === 404) return undefined;
      throw kubernetesError(error, doing('readIngress', { ingress: this.where(name) }));
    });
    if (!existing) {
      const body: V1Ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'kiops-desktop' } }, spec: request.ingressClass ? { ingressClassName: request.ingressClass } : {} };
      addRoute(body, route);
      const after = await kubeRequest(doing('createIngress', { ingress: this.where(name) }), () => this.networking.createNamespacedIngress({ namespace, body, ...dry }));
      return { ingress: name, created: true, before: {}, after };
    }
    const before: unknown = structuredClone(existing);
    const currentClass = existing.spec?.ingressClassName;
    if (request.ingressClass && currentClass && currentClass !== request.ingressClass) {
      throw new AppError('INVALID_INPUT', `Ingress ${this.where(name)} uses class "${currentClass}"; a route with class "${request.ingressClass}" needs an Ingress of its own.`, undefined, { key: 'operations.domains.ingressClassMismatch', params: { ingress: this.where(name), currentClass, ingressClass: request.ingressClass } });
    }
    if (request.ingressClass && !currentClass) existing.spec = { ...existing.spec, ingressClassName: request.ingressClass };
    addRoute(existing, route);
    return { ingress: name, created: false, before, after: await this.replace(existing, dryRun) };
  }

  private async applyRemove(host: string, path: string, dryRun: boolean): Promise<{ ingress: string; deletedIngress: boolean; before: unknown; after: unknown }> {
    const names = new Set((await this.backendServices()).map((service) => service.metadata?.name ?? ''));
    const ingresses = await this.ingresses();
    const snapshots = new Map(ingresses.map((candidate) => [candidate, structuredClone(candidate) as unknown]));
    const ingress = ingresses.find((candidate) => removeRoute(candidate, host, path, names));
    if (!ingress) throw new AppError('NOT_FOUND', `No Ingress routes ${host}${path} to ${this.where(this.options.service.deployment)}.`, undefined, { key: 'operations.domains.ingressRouteMissing', params: { route: `${host}${path}`, deployment: this.where(this.options.service.deployment) } });
    const before = snapshots.get(ingress);
    const name = ingress.metadata?.name ?? '';
    if (routesAnything(ingress)) return { ingress: name, deletedIngress: false, before, after: await this.replace(ingress, dryRun) };
    // An Ingress needs rules or a default backend: with its last route gone it is deleted.
    await this.networking
      .deleteNamespacedIngress({ name, namespace: this.options.service.namespace, body: { preconditions: { resourceVersion: ingress.metadata?.resourceVersion } }, ...(dryRun ? { dryRun: 'All' } : {}) })
      .catch((error: unknown) => {
        throw this.conflictOr(error, 'deleting', name);
      });
    return { ingress: name, deletedIngress: true, before, after: {} };
  }

  private pickBackend(services: readonly V1Service[], request: DomainRequest): string {
    const deployment = this.options.service.deployment;
    if (services.length === 0) throw new AppError('INVALID_INPUT', `No Service selects the pods of ${this.where(deployment)}; create one before adding a domain.`, undefined, { key: 'operations.domains.noServiceSelects', params: { deployment: this.where(deployment) } });
    const chosen = request.service ? services.find((service) => service.metadata?.name === request.service) : services.length === 1 ? services[0] : undefined;
    if (!chosen) {
      const names = services.map((service) => service.metadata?.name ?? '').join(', ');
      throw new AppError(
        'INVALID_INPUT',
        request.service ? `Service "${request.service}" does not select the pods of ${deployment}; choose one of: ${names}.` : `Several Services select the pods of ${deployment} (${names}); choose one.`,
        undefined,
        request.service ? { key: 'operations.domains.serviceNotSelecting', params: { service: request.service, deployment, names } } : { key: 'operations.domains.severalServices', params: { deployment, names } },
      );
    }
    const name = chosen.metadata?.name ?? '';
    if (!(chosen.spec?.ports ?? []).some((port) => port.port === request.servicePort)) throw new AppError('INVALID_INPUT', `Service ${name} has no port ${request.servicePort}.`, undefined, { key: 'operations.domains.servicePortMissing', params: { service: name, port: request.servicePort } });
    return name;
  }

  private async backendServices(): Promise<V1Service[]> {
    const { namespace, deployment } = this.options.service;
    const [found, services] = await Promise.all([
      kubeRequest(doing('readDeployment', { deployment: this.where(deployment) }), () => this.apps.readNamespacedDeployment({ name: deployment, namespace })),
      kubeRequest(doing('listServicesOf', { namespace }), () => this.core.listNamespacedService({ namespace })),
    ]);
    return servicesSelecting(services.items, found.spec?.template.metadata?.labels).sort((left, right) => (left.metadata?.name ?? '').localeCompare(right.metadata?.name ?? ''));
  }

  private async ingresses(): Promise<V1Ingress[]> {
    const { namespace } = this.options.service;
    return (await kubeRequest(doing('listIngressesOf', { namespace }), () => this.networking.listNamespacedIngress({ namespace }))).items;
  }

  private replace(ingress: V1Ingress, dryRun: boolean): Promise<V1Ingress> {
    const name = ingress.metadata?.name ?? '';
    return this.networking.replaceNamespacedIngress({ name, namespace: this.options.service.namespace, body: ingress, ...(dryRun ? { dryRun: 'All' } : {}) }).catch((error: unknown) => {
      throw this.conflictOr(error, 'updating', name);
    });
  }

  private conflictOr(error: unknown, action: 'deleting' | 'updating', name: string): AppError {
    const what = doing(action === 'deleting' ? 'deleteIngress' : 'updateIngress', { ingress: this.where(name) });
    if (kubeStatusCode(error) === 409) return new AppError('CONFLICT', `The Ingress was changed by someone else while ${what.english}; reload and try again.`, undefined, { key: `operations.domains.ingressChanged.${action}`, params: { ingress: this.where(name) } });
    return kubernetesError(error, what);
  }

  /** The result's `diff` (the Ingress before/after) goes into the outcome row. */
  private audited<T extends { diff: string }>(action: string, host: string, path: string, extra: Record<string, string | number>, run: () => Promise<T>): Promise<T> {
    const { namespace, deployment } = this.options.service;
    return this.options.audit.audited(
      { action, target: `${namespace}/${deployment} ${host}${path}`, actorIdentity: this.options.access.identity, environmentId: this.options.access.environmentId, details: { namespace, deployment, host, path, ...extra } },
      run,
      { detailsFromResult: (result) => ({ diff: result.diff }) },
    );
  }

  private requireManagement(): Promise<void> {
    return this.options.permissions.require(this.options.access.environmentId, 'management');
  }


  private where(name: string): string {
    return `${this.options.service.namespace}/${name}`;
  }
}
