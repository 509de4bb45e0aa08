import { readFile, stat } from 'node:fs/promises';
import { load, YAMLException } from 'js-yaml';
import { defaultGrants, organisationPolicySchema, type OrganisationPolicy } from '../../../shared/contract/policy.ts';
import { operatorPermissions, type OperatorPermission, type PermissionEnvironment, type PermissionReason } from './permission-types.ts';
import { pathText, yamlValueLines } from './yaml-locations.ts';
import type { MessageText } from '../../../shared/errors.ts';

export type { OrganisationPolicy };
export type PolicyMatch = OrganisationPolicy['rules'][number]['match'];

export type PolicyState =
  | { readonly kind: 'absent'; readonly path: string }
  | { readonly kind: 'loaded'; readonly path: string; readonly policy: OrganisationPolicy }
  /** Fail closed: nothing is granted anywhere until the file is fixed. */
  | { readonly kind: 'invalid'; readonly path: string; readonly message: string; readonly text: MessageText; readonly line: number | null };

export { defaultGrants };

export function parseOrganisationPolicy(text: string, path: string): PolicyState {
  let document: unknown;
  try {
    document = load(text, { filename: path });
  } catch (error) {
    if (error instanceof YAMLException) {
      const line = error.mark === undefined ? null : error.mark.line + 1;
      return invalid(path, line, error.reason);
    }
    return invalid(path, null, error instanceof Error ? error.message : String(error));
  }
  if (document === undefined || document === null) return invalid(path, 1, 'the file is empty; write `version: 1` and your rules, or delete the file to use the defaults');
  const result = organisationPolicySchema.safeParse(document);
  if (result.success) return { kind: 'loaded', path, policy: result.data };
  // A misspelt key also shows up as a missing one; the misspelling is what to report.
  const issue = result.error.issues.find((candidate) => candidate.code === 'unrecognized_keys') ?? result.error.issues[0];
  const issuePath = [...(issue?.path ?? [])];
  if (issue?.code === 'unrecognized_keys' && issue.keys[0] !== undefined) issuePath.push(issue.keys[0]);
  const lines = yamlValueLines(text);
  // A missing key has no line of its own: point at the nearest enclosing value that has one.
  let line: number | null = null;
  for (let length = issuePath.length; length >= 0 && line === null; length -= 1) line = lines.get(pathText(issuePath.slice(0, length))) ?? null;
  const at = pathText(issuePath);
  return invalid(path, line, `${at === '' ? 'the file' : at}: ${issue?.message ?? 'is not valid'}`);
}

function invalid(path: string, line: number | null, problem: string): PolicyState {
  const where = line === null ? path : `${path}, line ${line}`;
  return {
    kind: 'invalid',
    path,
    line,
    message: `The organisation permission policy (${where}) is not valid: ${problem}. Until it is fixed, no logs, commands or management are allowed anywhere.`,
    text: line === null ? { key: 'withheld.policyInvalid', params: { path, problem } } : { key: 'withheld.policyInvalidAtLine', params: { path, line, problem } },
  };
}

/** `*` any run of characters, `?` one character; everything else literal, case-sensitive. */
export function globMatches(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}

/** The environment's own tags plus the implicit `production` / `non-production` and its kind. */
export function environmentTags(environment: PermissionEnvironment): string[] {
  return [...(environment.tags ?? []), environment.production ? 'production' : 'non-production', environment.kind];
}

export function ruleMatches(match: PolicyMatch, environment: PermissionEnvironment): boolean {
  if (match.id !== undefined) return match.id === environment.id;
  if (match.name !== undefined) return globMatches(match.name, environment.name);
  return match.tag !== undefined && environmentTags(environment).includes(match.tag);
}

export interface PolicyDecision {
  readonly granted: ReadonlySet<OperatorPermission>;
  readonly reasons: readonly PermissionReason[];
}

/** First matching rule wins, like a firewall: put the specific rules above the broad ones. */
export function policyGrants(state: PolicyState, environment: PermissionEnvironment): PolicyDecision {
  if (state.kind === 'invalid') {
    return { granted: new Set(), reasons: operatorPermissions.map((permission) => ({ permission, source: 'policy-error', message: state.message, text: state.text })) };
  }
  let granted: readonly OperatorPermission[];
  let why: string;
  // keyed as `mainErrors.withheld.notGranted.*`; the permission and the rule's match are parts
  let whyText: MessageText;
  const { path } = state;
  if (state.kind === 'absent') {
    granted = environment.production ? defaultGrants.production : defaultGrants.other;
    why = environment.production
      ? `"${environment.name}" is a production environment, and without an organisation policy file (${path}) production allows logs only.`
      : `No organisation policy file (${path}).`;
    whyText = environment.production ? { key: 'withheld.notGranted.productionDefault', params: { environment: environment.name, path } } : { key: 'withheld.notGranted.noPolicy', params: { path } };
  } else {
    const index = state.policy.rules.findIndex((rule) => ruleMatches(rule.match, environment));
    const rule = state.policy.rules[index];
    granted = rule?.allow ?? state.policy.default ?? [];
    const match = rule === undefined ? undefined : describeMatch(rule.match);
    why = match === undefined
      ? `No rule in the organisation policy (${path}) matches "${environment.name}", and its default does not include it.`
      : `Rule ${index + 1} of the organisation policy (${path}, matching ${match.english}) does not include it.`;
    whyText = match === undefined
      ? { key: 'withheld.notGranted.noRule', params: { path, environment: environment.name } }
      : { key: 'withheld.notGranted.rule', params: { path, rule: index + 1, match: match.english }, parts: { match: [match.text] } };
  }
  const grantedSet = new Set(granted);
  const reasons = operatorPermissions
    .filter((permission) => !grantedSet.has(permission))
    .map((permission): PermissionReason => {
      const text = { ...whyText, params: { ...whyText.params, permission: capitalised(permission) }, parts: { ...whyText.parts, permission: [{ key: `withheld.permission.${permission}` }] } };
      return { permission, source: 'policy', message: `${capitalised(permission)} is not granted: ${why}`, text };
    });
  return { granted: grantedSet, reasons };
}

function describeMatch(match: PolicyMatch): { english: string; text: MessageText } {
  const [kind, value] = match.id !== undefined ? (['id', match.id] as const) : match.name !== undefined ? (['name', match.name] as const) : (['tag', match.tag ?? ''] as const);
  return { english: `${kind} ${value}`, text: { key: `withheld.match.${kind}`, params: { value } } };
}

function capitalised(permission: OperatorPermission): string {
  return permission === 'logs' ? 'Viewing logs' : permission === 'commands' ? 'Command execution' : 'Management';
}

/**
 * The policy file on disk, re-read when it changes (mtime or size), so an organisation manager's
 * fix takes effect without restarting the app.
 */
export class OrganisationPolicyFile {
  readonly path: string;
  private cached: { stamp: string; state: PolicyState } | null = null;

  constructor(path: string) {
    this.path = path;
  }

  async current(): Promise<PolicyState> {
    let stamp: string;
    try {
      const info = await stat(this.path);
      stamp = `${info.mtimeMs}:${info.size}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent', path: this.path };
      return invalid(this.path, null, `the file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (this.cached?.stamp === stamp) return this.cached.state;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent', path: this.path };
      return invalid(this.path, null, `the file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const state = parseOrganisationPolicy(text, this.path);
    this.cached = { stamp, state };
    return state;
  }
}
