import { load, YAMLException } from 'js-yaml';
import { AppError } from '../../../../shared/errors.ts';
import { kubeconfigSchema, type KubeconfigModel } from './model.ts';

/**
 * Reads kubeconfig text (a file's content or text the user pasted) into the typed model.
 * Every failure is KUBECONFIG_INVALID with a message naming the source and what is wrong;
 * the offending value itself is never quoted because it may be a credential.
 */
export function parseKubeconfig(text: string, source: string): KubeconfigModel {
  if (text.trim() === '') {
    throw new AppError('KUBECONFIG_INVALID', `The kubeconfig ${source} is empty.`, { source, problem: 'empty' }, { key: 'environments.kubeconfig.empty', params: { source } });
  }
  let raw: unknown;
  try {
    raw = load(text);
  } catch (error) {
    const mark = error instanceof YAMLException && error.mark ? { line: error.mark.line + 1, column: error.mark.column + 1 } : undefined;
    const where = mark ? ` (line ${mark.line}, column ${mark.column})` : '';
    const text = mark ? { key: 'environments.kubeconfig.notYamlAt', params: { source, ...mark } } : { key: 'environments.kubeconfig.notYaml', params: { source } };
    throw new AppError('KUBECONFIG_INVALID', `The kubeconfig ${source} is not valid YAML${where}.`, { source, problem: 'yaml' }, text);
  }
  if (raw === undefined || raw === null) {
    throw new AppError('KUBECONFIG_INVALID', `The kubeconfig ${source} is empty.`, { source, problem: 'empty' }, { key: 'environments.kubeconfig.empty', params: { source } });
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AppError('KUBECONFIG_INVALID', `The kubeconfig ${source} is not a YAML mapping (expected keys such as clusters, users, contexts).`, { source, problem: 'shape' }, { key: 'environments.kubeconfig.notMapping', params: { source } });
  }
  const parsed = kubeconfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue ? issue.path.map(String).join('.') : '';
    const missing = valueAt(raw, issue?.path ?? []) === undefined;
    const what = missing ? 'is missing' : 'has the wrong type or value';
    const where = describePath(parsed.data, raw, issue?.path ?? []);
    throw new AppError('KUBECONFIG_INVALID', `The kubeconfig ${source} is invalid: ${where.text} ${what}.`, {
      source,
      problem: 'schema',
      path,
    }, { key: `environments.kubeconfig.${missing ? 'schemaMissing' : 'schemaWrong'}.${where.variant}`, params: { source, ...where.params } });
  }
  const data = parsed.data;
  return {
    source,
    currentContext: data['current-context'] || undefined,
    clusters: data.clusters,
    users: data.users,
    contexts: data.contexts,
  };
}

/** Where in the kubeconfig: its English, and its variant of `environments.kubeconfig.schema*` with the parameters. */
interface SchemaPlace {
  readonly text: string;
  readonly variant: 'namedField' | 'named' | 'entryField' | 'entry' | 'field' | 'document';
  readonly params: Record<string, string | number>;
}

/** `clusters.0.cluster.server` reads better as `cluster "prod" field server`. */
function describePath(_data: unknown, raw: unknown, path: readonly PropertyKey[]): SchemaPlace {
  const [list, index, ...rest] = path;
  if ((list === 'clusters' || list === 'users' || list === 'contexts') && typeof index === 'number' && raw && typeof raw === 'object') {
    const entries = (raw as Record<string, unknown>)[list];
    const entry = Array.isArray(entries) ? (entries[index] as unknown) : undefined;
    const name = entry && typeof entry === 'object' ? (entry as Record<string, unknown>).name : undefined;
    const kind = list.slice(0, -1);
    const named = typeof name === 'string' && name.length > 0;
    const label = named ? `${kind} "${name}"` : `${kind} entry ${index + 1}`;
    const field = rest.slice(1).map(String).join('.') || (rest[0] === undefined ? '' : String(rest[0]));
    const params: Record<string, string | number> = named ? { kind, name, field } : { kind, index: index + 1, field };
    if (field) return { text: `${label} field "${field}"`, variant: named ? 'namedField' : 'entryField', params };
    return { text: label, variant: named ? 'named' : 'entry', params };
  }
  if (path.length > 0) {
    const field = path.map(String).join('.');
    return { text: `field "${field}"`, variant: 'field', params: { field } };
  }
  return { text: 'the document', variant: 'document', params: {} };
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = raw;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
