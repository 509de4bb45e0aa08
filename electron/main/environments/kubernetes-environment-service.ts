import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ConnectionPreferences } from '../../../shared/contract/connections.ts';
import type { EnvironmentView, KubeconfigSource } from '../../../shared/contract/environments.ts';
import type { CallOutput } from '../../../shared/contract/index.ts';
import { AppError } from '../../../shared/errors.ts';
import { problemOf } from './view-problem.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { AuditIntent } from '../audit/audit-row.ts';
import { kubeCredentialsKey } from '../connections/runtime-access.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { EnvironmentRecord, EnvironmentRepository } from './environment-repository.ts';
import { checkAccess, toEnvironmentView, type ReferenceCheck } from './environment-view.ts';
import { inlineCredentialFiles } from './kubeconfig/inline-files.ts';
import { defaultKubeconfigPaths, importContext, loadKubeconfigSource } from './kubeconfig-import.ts';
import { listContexts, redactUrl, splitContext, type KubeconfigModel } from './kubeconfig/index.ts';
import { auditedEach } from './audited-each.ts';
import { deleteSecrets, saveSecretsThenRow } from './secrets-then-row.ts';

export interface KubeconfigPreview {
  source: string;
  currentContext?: string;
  contexts: Array<{ name: string; cluster: string; user: string; namespace?: string; server?: string; current: boolean; warnings: Array<{ kind: string; message: string }>; problem?: string }>;
}

export type KubeconfigDiscovery = CallOutput<'environments.discoverKubeconfig'>;

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
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly onChanged: (before?: EnvironmentRecord) => Promise<void>;
  private readonly now: () => Date;

  constructor(options: {
    repository: EnvironmentRepository;
    secrets: SecretStore;
    trail: AuditTrail;
    references: ReferenceCheck;
    homeDir: string;
    /** The user's variables: KUBECONFIG says where discovery looks. */
    env?: Readonly<Record<string, string | undefined>>;
    /** After an add or re-import: cached clients of the environment go, the change watch looks again. */
    onChanged?: (before?: EnvironmentRecord) => Promise<void>;
    now?: () => Date;
  }) {
    this.repository = options.repository;
    this.secrets = options.secrets;
    this.trail = options.trail;
    this.references = options.references;
    this.homeDir = options.homeDir;
    this.env = options.env ?? {};
    this.onChanged = options.onChanged ?? (() => Promise.resolve());
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
          return { ...base, warnings: [], ...problemOf(error, 'This context cannot be read.', { key: 'environments.kubeconfig.contextUnreadable' }) };
        }
      }),
    };
  }

  add(input: AddKubernetesInput): Promise<EnvironmentView[]> {
    const connection = checkAccess('kubernetes', input.connection ?? { selected: 'auto', methods: ['direct'] }, this.references);
    const names = input.contexts.map((context) => (input.name === undefined ? context : input.contexts.length === 1 ? input.name : `${input.name} / ${context}`));
    // one row per new environment, each naming its id (chosen before the rows are written)
    const ids = input.contexts.map(() => randomUUID());
    const details = { kind: 'kubernetes', contexts: [...input.contexts], methods: connection.methods, production: input.production };
    const intents: AuditIntent[] = ids.map((environmentId, index) => ({ action: 'environment.add', target: names[index] ?? names.join(', '), environmentId, details }));
    return auditedEach(
      this.trail,
      intents,
      async () => {
        if (new Set(input.contexts).size !== input.contexts.length) throw new AppError('INVALID_INPUT', 'A context was chosen twice.', undefined, { key: 'environments.kubernetes.contextTwice' });
        for (const name of names) {
          if (this.repository.nameTaken(name)) throw new AppError('CONFLICT', `An environment named "${name}" already exists; choose another name.`, undefined, { key: 'environments.nameTaken', params: { name: name } });
        }
        const model = await inlineCredentialFiles(await this.load(input.source), input.contexts);
        const sourcePaths = input.source.kind === 'paths' ? input.source.paths.map((path) => resolve(path)) : undefined;
        const at = this.now().toISOString();
        const entries: Array<readonly [string, string]> = [];
        const records: EnvironmentRecord[] = input.contexts.map((contextName, index) => {
          const id = ids[index] ?? randomUUID();
          const { metadata, credentials } = importContext(model, contextName, sourcePaths);
          if (credentials) entries.push([kubeCredentialsKey(id), JSON.stringify(credentials)]);
          return {
            id,
            name: names[index] ?? contextName,
            kind: 'kubernetes',
            production: input.production,
            target: { kind: 'kubernetes', context: metadata },
            access: connection,
            secretKeys: credentials ? [kubeCredentialsKey(id)] : [],
            createdAt: at,
            updatedAt: at,
          };
        });
        await saveSecretsThenRow(this.secrets, entries, () => this.repository.insertAll(records));
        await this.onChanged();
        return records.map(toEnvironmentView);
      },
      { detailsFromResult: (views) => ({ environmentIds: views.map((v) => v.id), secretKeys: views.flatMap((v) => (this.repository.find(v.id)?.secretKeys ?? []).slice()) }) },
    );
  }

  /**
   * The kubeconfig a new user already has, where kubectl would look: every context of the files
   * that exist, marked when already added from the same files.
   */
  async discover(): Promise<KubeconfigDiscovery> {
    const environments = this.repository.list();
    const firstStart = !environments.some((env) => env.kind === 'kubernetes');
    const candidates = defaultKubeconfigPaths(this.env, this.homeDir);
    const paths: string[] = [];
    for (const path of candidates) if (await isFile(path)) paths.push(path);
    if (paths.length === 0) return { firstStart, paths: [], contexts: [] };
    let preview: KubeconfigPreview;
    try {
      preview = await this.preview({ kind: 'paths', paths });
    } catch (error) {
      return { firstStart, paths, contexts: [], ...problemOf(error, 'The kubeconfig files cannot be read.', { key: 'environments.kubeconfig.filesUnreadable' }) };
    }
    const added = new Set(
      environments.flatMap((env) => (env.target.kind === 'kubernetes' && env.target.context.source && sameList(env.target.context.source.paths, paths) ? [env.target.context.contextName] : [])),
    );
    return { firstStart, paths, source: preview.source, contexts: preview.contexts.map((context) => ({ ...context, alreadyAdded: added.has(context.name) })) };
  }

  /**
   * Reads the environment's kubeconfig files again and takes what they now say for its context
   * (server, CA, user, credentials; the namespace unless the user chose another in the app).
   * The environment keeps its id, name, production flag, connection preferences and so its
   * audit history; its credentials are replaced in the keychain.
   */
  reimport(id: string): Promise<EnvironmentView> {
    const before = this.repository.get(id);
    return this.trail.audited({ action: 'environment.reimport', target: before.name, environmentId: before.id, details: { kind: before.kind } }, async () => {
      if (before.target.kind !== 'kubernetes') throw new AppError('INVALID_INPUT', 'Only a Kubernetes environment has a kubeconfig to re-import.', undefined, { key: 'environments.kubernetes.reimportKubernetesOnly' });
      const stored = before.target.context;
      if (stored.source === undefined) throw new AppError('INVALID_INPUT', `"${before.name}" was added from pasted text, not from files; add it again to change it.`, undefined, { key: 'environments.kubernetes.reimportPasted', params: { name: before.name } });
      const contextName = stored.contextName;
      const model = await inlineCredentialFiles(await this.load({ kind: 'paths', paths: stored.source.paths }), [contextName]);
      if (!model.contexts.some((c) => c.name === contextName)) {
        throw new AppError('CONFLICT', `The kubeconfig ${stored.source.paths.join(', ')} no longer has the context "${contextName}"; remove "${before.name}" or put the context back.`, { context: contextName }, { key: 'environments.kubernetes.contextGone', params: { paths: stored.source.paths.join(', '), context: contextName, name: before.name } });
      }
      const { metadata, credentials } = importContext(model, contextName, stored.source.paths);
      const userNamespace = stored.namespace !== stored.source.namespace ? stored.namespace : undefined;
      const key = kubeCredentialsKey(before.id);
      const after: EnvironmentRecord = {
        ...before,
        target: { kind: 'kubernetes', context: userNamespace !== undefined ? { ...metadata, namespace: userNamespace } : metadata },
        secretKeys: credentials ? [key] : [],
        updatedAt: this.now().toISOString(),
      };
      if (credentials) await saveSecretsThenRow(this.secrets, [[key, JSON.stringify(credentials)]], () => this.repository.update(after));
      else {
        this.repository.update(after);
        await deleteSecrets(this.secrets, before.secretKeys);
      }
      await this.onChanged(before);
      return toEnvironmentView(after);
    });
  }

  private load(source: KubeconfigSource): Promise<KubeconfigModel> {
    return loadKubeconfigSource(source, this.homeDir);
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}
