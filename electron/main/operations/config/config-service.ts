import { AppsV1Api, CoreV1Api, type V1ConfigMap, type V1Secret } from '@kubernetes/client-node';
import type { ConfigKind, ConfigListView, ConfigObjectView } from '../../../../shared/contract/config.ts';
import { configValueMaxBytes } from '../../../../shared/contract/config.ts';
import { AppError, type MessageText } from '../../../../shared/errors.ts';
import type { AuditDetails } from '../../audit/audit-row.ts';
import type { AuditedRunner } from '../kubernetes/pod-actions.ts';
import { dryRunPreview, type ChangePreview } from '../changes/change-preview.ts';
import { diffObjects, diffSummary } from '../changes/object-diff.ts';
import { doing, kubeStatusCode, kubernetesError, kubeRequest } from '../kubernetes/kube-errors.ts';
import type { KubernetesAccess, KubernetesServiceRef, PermissionGate } from '../kubernetes/kubernetes-access.ts';
import { compareConfigObjects, configMapRow, isUtf8Text, secretRow } from './config-rows.ts';
import { templateUsage } from './config-usage.ts';

export interface ConfigServiceOptions {
  readonly access: KubernetesAccess;
  readonly service: KubernetesServiceRef;
  readonly audit: AuditedRunner;
  readonly permissions: PermissionGate;
  /** Production environments ask for the key name again before a delete. */
  readonly production: boolean;
}

type ConfigObject = V1ConfigMap | V1Secret;
type UpdateResult = { resourceVersion: string; auditDetails: AuditDetails };

const withDiff = (result: UpdateResult): AuditDetails => result.auditDetails;
const onlyVersion = (result: UpdateResult): { resourceVersion: string } => ({ resourceVersion: result.resourceVersion });

/**
 * The Config/Secret tab's backend for one service. Reads and writes go straight to the API
 * server with the operator's credentials. Secret values leave main only through `reveal`,
 * and neither audit rows nor error messages ever carry a value: only object and key names.
 */
export class ConfigService {
  private readonly options: ConfigServiceOptions;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;

  constructor(options: ConfigServiceOptions) {
    this.options = options;
    this.core = options.access.kubeConfig.makeApiClient(CoreV1Api);
    this.apps = options.access.kubeConfig.makeApiClient(AppsV1Api);
  }

  async list(): Promise<ConfigListView> {
    await this.requireManagement();
    const { namespace, deployment } = this.options.service;
    const limitations: string[] = [];
    const limitationTexts: MessageText[] = [];
    const [template, configMaps, secrets] = await Promise.all([
      kubeRequest(doing('readDeployment', { deployment: `${namespace}/${deployment}` }), () => this.apps.readNamespacedDeployment({ name: deployment, namespace })),
      kubeRequest(doing('listConfigMapsOf', { namespace }), () => this.core.listNamespacedConfigMap({ namespace })),
      this.core.listNamespacedSecret({ namespace }).catch((error: unknown) => {
        if (kubeStatusCode(error) !== 403) throw kubernetesError(error, doing('listSecretsOf', { namespace }));
        limitations.push(`The cluster does not let you list Secrets in ${namespace}.`);
        limitationTexts.push({ key: 'operations.limitations.secrets', params: { namespace } });
        return { items: [] as V1Secret[] };
      }),
    ]);
    const used = templateUsage(template.spec?.template.spec);
    const objects: ConfigObjectView[] = [
      ...configMaps.items.map((item) => configMapRow(item, used.configmap.get(item.metadata?.name ?? ''))),
      ...secrets.items.map((item) => secretRow(item, used.secret.get(item.metadata?.name ?? ''))),
    ];
    return { namespace, deployment, objects: objects.sort(compareConfigObjects), limitations, limitationTexts };
  }

  /** One Secret value, decoded; base64 when it is not text. */
  reveal(name: string, key: string): Promise<{ value: string; encoding: 'utf8' | 'base64' }> {
    return this.audited('secret.reveal', 'secret', name, key, async () => {
      await this.requireManagement();
      const secret = await this.read('secret', name);
      const encoded = secret.data?.[key];
      if (encoded === undefined) throw new AppError('NOT_FOUND', `Secret ${this.where(name)} has no key "${key}".`, undefined, { key: 'operations.config.keyMissing', params: { kind: 'Secret', where: this.where(name), key } });
      const bytes = Buffer.from(encoded, 'base64');
      return isUtf8Text(bytes) ? { value: bytes.toString('utf8'), encoding: 'utf8' } : { value: encoded, encoding: 'base64' };
    });
  }

  setKey(kind: ConfigKind, name: string, key: string, value: string, resourceVersion: string): Promise<{ resourceVersion: string }> {
    return this.audited(`${kind}.set-key`, kind, name, key, async () => {
      await this.requireManagement();
      return this.update(kind, name, resourceVersion, this.setKeyChange(kind, name, key, value));
    }, withDiff).then(onlyVersion);
  }

  deleteKey(kind: ConfigKind, name: string, key: string, resourceVersion: string): Promise<{ resourceVersion: string }> {
    return this.audited(`${kind}.delete-key`, kind, name, key, async () => {
      await this.requireManagement();
      return this.update(kind, name, resourceVersion, this.deleteKeyChange(kind, name, key));
    }, withDiff).then(onlyVersion);
  }

  /**
   * The replace setKey/deleteKey would send, with dryRun=All. Secret values never appear:
   * the diff says per key whether it is added, changed, unchanged or removed.
   */
  preview(change: { action: 'setKey'; kind: ConfigKind; name: string; key: string; value: string; resourceVersion: string } | { action: 'deleteKey'; kind: ConfigKind; name: string; key: string; resourceVersion: string }): Promise<ChangePreview> {
    const { kind, name, key, resourceVersion } = change;
    const apply = change.action === 'setKey' ? this.setKeyChange(kind, name, key, change.value) : this.deleteKeyChange(kind, name, key);
    return dryRunPreview(`${this.options.service.namespace}/${kind}/${name}`, () => this.read(kind, name), (object) => this.replace(kind, name, resourceVersion, object, apply, true), { secret: kind === 'secret' });
  }

  private setKeyChange(kind: ConfigKind, name: string, key: string, value: string): (object: ConfigObject) => void {
    return (object) => {
      if (kind === 'secret') {
        const secret = object as V1Secret;
        secret.data = { ...secret.data, [key]: Buffer.from(value, 'utf8').toString('base64') };
      } else {
        const configMap = object as V1ConfigMap;
        if (configMap.binaryData?.[key] !== undefined) throw new AppError('INVALID_INPUT', `"${key}" is binary data in ConfigMap ${this.where(name)}; it cannot be edited as text.`, undefined, { key: 'operations.config.binaryValue', params: { key, where: this.where(name) } });
        configMap.data = { ...configMap.data, [key]: value };
      }
    };
  }

  private deleteKeyChange(kind: ConfigKind, name: string, key: string): (object: ConfigObject) => void {
    return (object) => {
      const maps = [object.data, 'binaryData' in object ? (object as V1ConfigMap).binaryData : undefined];
      if (!maps.some((map) => map?.[key] !== undefined)) throw new AppError('NOT_FOUND', `${this.label(kind)} ${this.where(name)} has no key "${key}".`, undefined, { key: 'operations.config.keyMissing', params: { kind: this.label(kind), where: this.where(name), key } });
      for (const map of maps) if (map) delete map[key];
    };
  }

  create(kind: ConfigKind, name: string): Promise<{ resourceVersion: string }> {
    return this.audited(`${kind}.create`, kind, name, null, async () => {
      await this.requireManagement();
      const { namespace } = this.options.service;
      const metadata = { name, namespace };
      const created = await kubeRequest(doing('createObject', { kind: this.label(kind), object: this.where(name) }), () =>
        kind === 'secret'
          ? this.core.createNamespacedSecret({ namespace, body: { apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque', data: {} } })
          : this.core.createNamespacedConfigMap({ namespace, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: {} } }),
      );
      return { resourceVersion: created.metadata?.resourceVersion ?? '' };
    });
  }

  /** Read, check the operator's resourceVersion, change, replace with that resourceVersion (the API server refuses a stale one). */
  private async update(kind: ConfigKind, name: string, seen: string, change: (object: ConfigObject) => void): Promise<UpdateResult> {
    const object = await this.read(kind, name);
    const before: unknown = structuredClone(object);
    const replaced = await this.replace(kind, name, seen, object, change, false);
    // Key names and "changed"/"added"/"removed" only: a Secret value never reaches the trail.
    return { resourceVersion: replaced.metadata?.resourceVersion ?? '', auditDetails: { diff: diffSummary(diffObjects(before, replaced, { secret: kind === 'secret' })) } };
  }

  private async replace(kind: ConfigKind, name: string, seen: string, object: ConfigObject, change: (object: ConfigObject) => void, dryRun: boolean): Promise<ConfigObject> {
    if (object.metadata?.resourceVersion !== seen) throw this.conflict(kind, name);
    if (object.immutable === true) throw new AppError('INVALID_INPUT', `${this.label(kind)} ${this.where(name)} is immutable; create a new one instead.`, undefined, { key: 'operations.config.immutable', params: { kind: this.label(kind), where: this.where(name) } });
    change(object);
    const size = [object.data, (object as V1ConfigMap).binaryData].reduce((sum, map) => sum + Object.entries(map ?? {}).reduce((total, [k, v]) => total + k.length + v.length, 0), 0);
    if (size > configValueMaxBytes) throw new AppError('INVALID_INPUT', `${this.label(kind)} ${this.where(name)} would be larger than 1 MiB, the Kubernetes limit.`, undefined, { key: 'operations.config.tooLarge', params: { kind: this.label(kind), where: this.where(name) } });
    const { namespace } = this.options.service;
    const dry = dryRun ? { dryRun: 'All' } : {};
    try {
      return kind === 'secret'
        ? await this.core.replaceNamespacedSecret({ name, namespace, body: object as V1Secret, ...dry })
        : await this.core.replaceNamespacedConfigMap({ name, namespace, body: object as V1ConfigMap, ...dry });
    } catch (error) {
      if (kubeStatusCode(error) === 409) throw this.conflict(kind, name);
      throw kubernetesError(error, doing('updateObject', { kind: this.label(kind), object: this.where(name) }));
    }
  }

  private read(kind: ConfigKind, name: string): Promise<ConfigObject> {
    const { namespace } = this.options.service;
    return kubeRequest(doing('readObject', { kind: this.label(kind), object: this.where(name) }), () =>
      kind === 'secret' ? this.core.readNamespacedSecret({ name, namespace }) : this.core.readNamespacedConfigMap({ name, namespace }),
    );
  }

  private conflict(kind: ConfigKind, name: string): AppError {
    return new AppError('CONFLICT', `${this.label(kind)} ${this.where(name)} was changed by someone else since you loaded it; reload and try again.`, undefined, { key: 'operations.config.changedElsewhere', params: { kind: this.label(kind), where: this.where(name) } });
  }

  private audited<T>(action: string, kind: ConfigKind, name: string, key: string | null, run: () => Promise<T>, detailsFromResult?: (result: T) => AuditDetails): Promise<T> {
    const { namespace, deployment } = this.options.service;
    return this.options.audit.audited(
      {
        action,
        target: `${namespace}/${name}`,
        actorIdentity: this.options.access.identity,
        environmentId: this.options.access.environmentId,
        // Names only: a value never goes into the trail.
        details: { namespace, kind, name, deployment, ...(key === null ? {} : { key }) },
      },
      run,
      detailsFromResult ? { detailsFromResult } : {},
    );
  }

  private requireManagement(): Promise<void> {
    return this.options.permissions.require(this.options.access.environmentId, 'management');
  }


  private label(kind: ConfigKind): string {
    return kind === 'secret' ? 'Secret' : 'ConfigMap';
  }

  private where(name: string): string {
    return `${this.options.service.namespace}/${name}`;
  }
}
