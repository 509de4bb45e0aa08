import { randomUUID } from 'node:crypto';
import { delimiter } from 'node:path';
import type { ConnectionPreferences } from '../../../shared/contract/connections.ts';
import type { EnvironmentView, KubeconfigSource } from '../../../shared/contract/environments.ts';
import { AppError } from '../../../shared/errors.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import { kubeCredentialsKey, type KubeCredentials } from '../connections/runtime-access.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { EnvironmentRecord, EnvironmentRepository } from './environment-repository.ts';
import { checkAccess, toEnvironmentView, type ReferenceCheck } from './environment-view.ts';
import { inlineCredentialFiles } from './kubeconfig/inline-files.ts';
import { listContexts, loadKubeconfigFile, loadKubeconfigList, parseKubeconfig, redactUrl, splitContext, type KubeconfigModel } from './kubeconfig/index.ts';
import { saveSecretsThenRow } from './secrets-then-row.ts';

export interface KubeconfigPreview {
  source: string;
  currentContext?: string;
  contexts: Array<{ name: string; cluster: string; user: string; namespace?: string; server?: string; current: boolean; warnings: Array<{ kind: string; message: string }>; problem?: string }>;
}

export interface AddKubernetesInput {
  readonly source: KubeconfigSource;
  readonly contexts: readonly string[];
  readonly name?: string | undefined;
  readonly production: boolean;
  readonly connection?: ConnectionPreferences | undefined;
}

/**
 * Kubernetes environments from a kubeconfig (pasted, one file, or several merged like a
 * KUBECONFIG list). Each chosen context becomes one environment: its non-secret half
 * (server, CA, names, warnings) in SQLite, its credentials in the keychain. The user's files
 * are only read.
 */
export class KubernetesEnvironmentService {
  private readonly repository: EnvironmentRepository;
  private readonly secrets: SecretStore;
  private readonly trail: AuditTrail;
  private readonly references: ReferenceCheck;
  private readonly homeDir: string;
  private readonly now: () => Date;

  constructor(options: { repository: EnvironmentRepository; secrets: SecretStore; trail: AuditTrail; references: ReferenceCheck; homeDir: string; now?: () => Date }) {
    this.repository = options.repository;
    this.secrets = options.secrets;
    this.trail = options.trail;
    this.references = options.references;
    this.homeDir = options.homeDir;
    this.now = options.now ?? (() => new Date());
  }

  async preview(source: KubeconfigSource): Promise<KubeconfigPreview> {
    const model = await this.load(source);
    return {
      source: model.source,
      ...(model.currentContext ? { currentContext: model.currentContext } : {}),
      contexts: listContexts(model).map((summary) => {
        const base = { name: summary.name, cluster: summary.cluster, user: summary.user, current: summary.current, ...(summary.namespace ? { namespace: summary.namespace } : {}) };
        try {
          const { metadata } = splitContext(model, summary.name);
          return { ...base, server: redactUrl(metadata.server), warnings: metadata.warnings.map((w) => ({ kind: w.kind, message: w.message })) };
        } catch (error) {
          return { ...base, warnings: [], problem: error instanceof AppError ? error.message : 'This context cannot be read.' };
        }
      }),
    };
  }

  add(input: AddKubernetesInput): Promise<EnvironmentView[]> {
    const connection = checkAccess('kubernetes', input.connection ?? { selected: 'auto', methods: ['direct'] }, this.references);
    const names = input.contexts.map((context) => (input.name === undefined ? context : input.contexts.length === 1 ? input.name : `${input.name} / ${context}`));
    return this.trail.audited(
      { action: 'environment.add', target: names.join(', '), details: { kind: 'kubernetes', contexts: [...input.contexts], methods: connection.methods, production: input.production } },
      async () => {
        if (new Set(input.contexts).size !== input.contexts.length) throw new AppError('INVALID_INPUT', 'A context was chosen twice.');
        for (const name of names) {
          if (this.repository.nameTaken(name)) throw new AppError('CONFLICT', `An environment named "${name}" already exists; choose another name.`);
        }
        const model = await inlineCredentialFiles(await this.load(input.source), input.contexts);
        const at = this.now().toISOString();
        const entries: Array<readonly [string, string]> = [];
        const records: EnvironmentRecord[] = input.contexts.map((contextName, index) => {
          const id = randomUUID();
          const { metadata, secrets } = splitContext(model, contextName);
          const credentials: KubeCredentials = { context: secrets };
          // A proxy-url may carry user:password; that part is a credential too.
          if (metadata.proxyUrl !== undefined && redactUrl(metadata.proxyUrl) !== metadata.proxyUrl) {
            credentials.proxyUrl = metadata.proxyUrl;
            metadata.proxyUrl = redactUrl(metadata.proxyUrl);
          }
          const hasSecrets = Object.keys(secrets).length > 0 || credentials.proxyUrl !== undefined;
          if (hasSecrets) entries.push([kubeCredentialsKey(id), JSON.stringify(credentials)]);
          return {
            id,
            name: names[index] ?? contextName,
            kind: 'kubernetes',
            production: input.production,
            target: { kind: 'kubernetes', context: metadata },
            access: connection,
            secretKeys: hasSecrets ? [kubeCredentialsKey(id)] : [],
            createdAt: at,
            updatedAt: at,
          };
        });
        await saveSecretsThenRow(this.secrets, entries, () => this.repository.insertAll(records));
        return records.map(toEnvironmentView);
      },
      { detailsFromResult: (views) => ({ environmentIds: views.map((v) => v.id), secretKeys: views.flatMap((v) => (this.repository.find(v.id)?.secretKeys ?? []).slice()) }) },
    );
  }

  private async load(source: KubeconfigSource): Promise<KubeconfigModel> {
    if (source.kind === 'text') return parseKubeconfig(source.text, 'the pasted kubeconfig');
    const [only] = source.paths;
    if (source.paths.length === 1 && only !== undefined) return loadKubeconfigFile(only);
    return loadKubeconfigList(source.paths.join(delimiter), this.homeDir);
  }
}
