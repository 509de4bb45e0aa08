import type { KubeconfigChange } from '../../../shared/contract/environments.ts';
import { problemOf } from './view-problem.ts';
import { kubeCredentialsKey, kubeCredentialsSchema, type KubeCredentials } from '../connections/runtime-access.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { EnvironmentRecord, EnvironmentRepository } from './environment-repository.ts';
import { contextChanges, contextListChanges } from './kubeconfig-diff.ts';
import { KubeconfigFileWatch } from './kubeconfig-file-watch.ts';
import { importContext, loadKubeconfigSource } from './kubeconfig-import.ts';
import { inlineCredentialFiles } from './kubeconfig/inline-files.ts';

type Listener = (changes: KubeconfigChange[]) => void;

/**
 * Which imported Kubernetes environments no longer match their kubeconfig files on disk. The
 * files are watched (kubeconfig-file-watch.ts); on every change, and whenever the environments
 * change, each environment's files are read again and compared with what was imported. The
 * list is pushed to listeners (the Runtime Environments page's "changed on disk" banner).
 * The user's files are only read; nothing changes until the user re-imports.
 */
export class KubeconfigChanges {
  private readonly repository: EnvironmentRepository;
  private readonly secrets: SecretStore;
  private readonly homeDir: string;
  private readonly watcher: KubeconfigFileWatch;
  private readonly listeners = new Set<Listener>();
  private current: KubeconfigChange[] = [];
  private checking: Promise<void> = Promise.resolve();

  constructor(options: { repository: EnvironmentRepository; secrets: SecretStore; homeDir: string; debounceMs?: number; pollMs?: number }) {
    this.repository = options.repository;
    this.secrets = options.secrets;
    this.homeDir = options.homeDir;
    this.watcher = new KubeconfigFileWatch({
      onChange: () => void this.refresh(),
      ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    });
  }

  list(): KubeconfigChange[] {
    return this.current;
  }

  /** Calls the listener with the current list at once and after every change of it. */
  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    listener(this.current);
    return () => this.listeners.delete(listener);
  }

  /** Compares every imported environment with its files again (one comparison at a time). */
  refresh(): Promise<void> {
    this.checking = this.checking.then(() => this.check()).catch(() => undefined);
    return this.checking;
  }

  close(): void {
    this.watcher.close();
    this.listeners.clear();
  }

  private async check(): Promise<void> {
    const imported = this.repository.list().filter((env) => env.target.kind === 'kubernetes' && env.target.context.source !== undefined);
    await this.watcher.watch(imported.flatMap((env) => (env.target.kind === 'kubernetes' ? (env.target.context.source?.paths ?? []) : [])));
    const changes: KubeconfigChange[] = [];
    for (const env of imported) {
      const change = await this.compare(env);
      if (change) changes.push(change);
    }
    if (JSON.stringify(changes) === JSON.stringify(this.current)) return;
    this.current = changes;
    for (const listener of this.listeners) listener(changes);
  }

  private async compare(env: EnvironmentRecord): Promise<KubeconfigChange | undefined> {
    if (env.target.kind !== 'kubernetes' || env.target.context.source === undefined) return undefined;
    const stored = env.target.context;
    const source = env.target.context.source;
    const base = { environmentId: env.id, environmentName: env.name, contextName: stored.contextName, paths: [...source.paths] };
    let model;
    try {
      model = await loadKubeconfigSource({ kind: 'paths', paths: source.paths }, this.homeDir);
    } catch (error) {
      return { ...base, state: 'unreadable', fields: [], addedContexts: [], removedContexts: [], ...problemOf(error, 'The kubeconfig files cannot be read.', { key: 'environments.kubeconfig.filesUnreadable' }) };
    }
    const lists = contextListChanges(source.contexts, model.contexts.map((c) => c.name));
    if (!model.contexts.some((c) => c.name === stored.contextName)) return { ...base, state: 'removed', fields: [], ...lists };
    let fields: KubeconfigChange['fields'];
    try {
      const now = importContext(await inlineCredentialFiles(model, [stored.contextName]), stored.contextName, source.paths);
      const storedCredentials = await this.storedCredentials(env).catch(() => now.credentials);
      fields = contextChanges(stored, storedCredentials, now);
    } catch (error) {
      return { ...base, state: 'unreadable', fields: [], ...lists, ...problemOf(error, 'This context cannot be read.', { key: 'environments.kubeconfig.contextUnreadable' }) };
    }
    if (fields.length === 0 && lists.addedContexts.length === 0 && lists.removedContexts.length === 0) return undefined;
    return { ...base, state: 'changed', fields, ...lists };
  }

  /** The keychain half, compared in memory only; unreadable means "unknown", never "changed". */
  private async storedCredentials(env: EnvironmentRecord): Promise<KubeCredentials | undefined> {
    const key = kubeCredentialsKey(env.id);
    if (!env.secretKeys.includes(key)) return undefined;
    const text = await this.secrets.get(key);
    if (text === null) return undefined;
    return kubeCredentialsSchema.parse(JSON.parse(text));
  }
}
