import { AppsV1Api, CoreV1Api, NetworkingV1Api, type V1Ingress, type V1Service } from '@kubernetes/client-node';
import type { DomainListView } from '../../../../shared/contract/domains.ts';
import { AppError } from '../../../../shared/errors.ts';
import { kubeStatusCode, kubernetesError, kubeRequest } from '../kubernetes/kube-errors.ts';
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
    const [services, ingresses, classes] = await Promise.all([
      this.backendServices(),
      this.ingresses(),
      this.networking.listIngressClass().catch(() => {
        limitations.push('Ingress classes could not be listed (a cluster-wide read); new routes use the cluster default class.');
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
    };
  }

  add(request: DomainRequest): Promise<{ ingress: string; created: boolean }> {
    return this.audited('domain.add', request.host, request.path, { pathType: request.pathType, port: request.servicePort, ...(request.tlsSecret ? { tlsSecret: request.tlsSecret } : {}) }, async () => {
      await this.requireManagement();
      const backend = this.pickBackend(await this.backendServices(), request);
      const taken = (await this.ingresses()).find((ingress) => (ingress.spec?.rules ?? []).some((rule) => rule.host === request.host && (rule.http?.paths ?? []).some((path) => (path.path ?? '/') === request.path)));
      if (taken) throw new AppError('CONFLICT', `${request.host}${request.path} is already routed by Ingress ${this.where(taken.metadata?.name ?? '')}.`);
      const route: NewRoute = { host: request.host, path: request.path, pathType: request.pathType, service: backend, port: request.servicePort, tlsSecret: request.tlsSecret };
      const { namespace, deployment: name } = this.options.service;
      const existing = await this.networking.readNamespacedIngress({ name, namespace }).catch((error: unknown) => {
        if (kubeStatusCode(error) === 404) return undefined;
        throw kubernetesError(error, `reading Ingress ${this.where(name)}`);
      });
      if (!existing) {
        const body: V1Ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'kiops-desktop' } }, spec: request.ingressClass ? { ingressClassName: request.ingressClass } : {} };
        addRoute(body, route);
        await kubeRequest(`creating Ingress ${this.where(name)}`, () => this.networking.createNamespacedIngress({ namespace, body }));
        return { ingress: name, created: true };
      }
      const currentClass = existing.spec?.ingressClassName;
      if (request.ingressClass && currentClass && currentClass !== request.ingressClass) {
        throw new AppError('INVALID_INPUT', `Ingress ${this.where(name)} uses class "${currentClass}"; a route with class "${request.ingressClass}" needs an Ingress of its own.`);
      }
      if (request.ingressClass && !currentClass) existing.spec = { ...existing.spec, ingressClassName: request.ingressClass };
      addRoute(existing, route);
      await this.replace(existing);
      return { ingress: name, created: false };
    });
  }

  remove(host: string, path: string): Promise<{ ingress: string; deletedIngress: boolean }> {
    return this.audited('domain.remove', host, path, {}, async () => {
      await this.requireManagement();
      const names = new Set((await this.backendServices()).map((service) => service.metadata?.name ?? ''));
      const ingress = (await this.ingresses()).find((candidate) => removeRoute(candidate, host, path, names));
      if (!ingress) throw new AppError('NOT_FOUND', `No Ingress routes ${host}${path} to ${this.where(this.options.service.deployment)}.`);
      const name = ingress.metadata?.name ?? '';
      if (routesAnything(ingress)) {
        await this.replace(ingress);
        return { ingress: name, deletedIngress: false };
      }
      // An Ingress needs rules or a default backend: with its last route gone it is deleted.
      await this.networking
        .deleteNamespacedIngress({ name, namespace: this.options.service.namespace, body: { preconditions: { resourceVersion: ingress.metadata?.resourceVersion } } })
        .catch((error: unknown) => {
          throw this.conflictOr(error, `deleting Ingress ${this.where(name)}`);
        });
      return { ingress: name, deletedIngress: true };
    });
  }

  private pickBackend(services: readonly V1Service[], request: DomainRequest): string {
    const deployment = this.options.service.deployment;
    if (services.length === 0) throw new AppError('INVALID_INPUT', `No Service selects the pods of ${this.where(deployment)}; create one before adding a domain.`);
    const chosen = request.service ? services.find((service) => service.metadata?.name === request.service) : services.length === 1 ? services[0] : undefined;
    if (!chosen) {
      const names = services.map((service) => service.metadata?.name ?? '').join(', ');
      throw new AppError('INVALID_INPUT', request.service ? `Service "${request.service}" does not select the pods of ${deployment}; choose one of: ${names}.` : `Several Services select the pods of ${deployment} (${names}); choose one.`);
    }
    const name = chosen.metadata?.name ?? '';
    if (!(chosen.spec?.ports ?? []).some((port) => port.port === request.servicePort)) throw new AppError('INVALID_INPUT', `Service ${name} has no port ${request.servicePort}.`);
    return name;
  }

  private async backendServices(): Promise<V1Service[]> {
    const { namespace, deployment } = this.options.service;
    const [found, services] = await Promise.all([
      kubeRequest(`reading deployment ${this.where(deployment)}`, () => this.apps.readNamespacedDeployment({ name: deployment, namespace })),
      kubeRequest(`listing the Services of ${namespace}`, () => this.core.listNamespacedService({ namespace })),
    ]);
    return servicesSelecting(services.items, found.spec?.template.metadata?.labels).sort((left, right) => (left.metadata?.name ?? '').localeCompare(right.metadata?.name ?? ''));
  }

  private async ingresses(): Promise<V1Ingress[]> {
    const { namespace } = this.options.service;
    return (await kubeRequest(`listing the Ingresses of ${namespace}`, () => this.networking.listNamespacedIngress({ namespace }))).items;
  }

  private async replace(ingress: V1Ingress): Promise<void> {
    const name = ingress.metadata?.name ?? '';
    await this.networking.replaceNamespacedIngress({ name, namespace: this.options.service.namespace, body: ingress }).catch((error: unknown) => {
      throw this.conflictOr(error, `updating Ingress ${this.where(name)}`);
    });
  }

  private conflictOr(error: unknown, doing: string): AppError {
    if (kubeStatusCode(error) === 409) return new AppError('CONFLICT', `The Ingress was changed by someone else while ${doing}; reload and try again.`);
    return kubernetesError(error, doing);
  }

  private audited<T>(action: string, host: string, path: string, extra: Record<string, string | number>, run: () => Promise<T>): Promise<T> {
    const { namespace, deployment } = this.options.service;
    return this.options.audit.audited(
      { action, target: `${namespace}/${deployment} ${host}${path}`, actorIdentity: this.options.access.identity, environmentId: this.options.access.environmentId, details: { namespace, deployment, host, path, ...extra } },
      run,
    );
  }

  private requireManagement(): Promise<void> {
    return this.options.permissions.require(this.options.access.environmentId, 'management');
  }


  private where(name: string): string {
    return `${this.options.service.namespace}/${name}`;
  }
}
