/**
 * What a command policy answers for one typed command line. A policy never runs anything;
 * the runner only ever sees the argv of an `allow` decision.
 */
export type CommandMode = 'one-shot' | 'streaming';

/** Decides the one-shot deadline: logs and events get 60 s, everything else 30 s. */
export type TimeoutKind = 'logs' | 'events' | 'other';

/** The rule a refusal names, so the user (and the audit row) can tell why. */
export type BlockRule =
  | 'empty-command'
  | 'shell-syntax'
  | 'wrong-program'
  | 'plugin'
  | 'subcommand-not-allowed'
  | 'flag-not-allowed'
  | 'invalid-flag-value'
  | 'invalid-argument'
  | 'all-namespaces'
  | 'namespace-override'
  | 'credential-override'
  | 'connection-override'
  | 'impersonation'
  | 'raw-api'
  | 'port-forward'
  | 'attach'
  | 'interactive'
  | 'follow-watch'
  | 'cluster-scoped'
  | 'resource-not-allowed'
  | 'secrets'
  | 'local-files'
  | 'privileged'
  | 'host-command-not-allowed'
  /** A container, image, volume or network of another service (or none at all). */
  | 'not-in-service'
  /** A verb that acts on every object of the host (prune, system …). */
  | 'host-wide'
  /** A delete whose selector matches by negation or sets only: it would delete (nearly) everything. */
  | 'delete-all'
  /** A manual scale of a Deployment an HPA controls. */
  | 'hpa-controls-replicas'
  /** The place the command would run could not be resolved (unknown service, container, unreachable host). */
  | 'target-unavailable'
  /** Streaming asked where the app can only run one-shot (a host reached over SSH). */
  | 'streaming-unavailable';

export interface AllowDecision {
  readonly decision: 'allow';
  /** The argv to spawn, with the app's own namespace and connection injected. */
  readonly argv: readonly string[];
  /** The same argv with connection secrets/paths replaced by placeholders: safe for audit and UI. */
  readonly auditArgv: readonly string[];
  readonly kind: TimeoutKind;
  /** Host tools: the absolute root-owned path argv[0] resolved to, which is what runs. */
  readonly program?: string;
}

export interface BlockDecision {
  readonly decision: 'block';
  readonly rule: BlockRule;
  readonly message: string;
  /** What to do instead. */
  readonly hint: string;
}

/**
 * A data-modifying command in a production environment. The caller shows `confirmText` and
 * must pass it back unchanged as `confirmation` for the command to be allowed.
 */
export interface ConfirmationDecision {
  readonly decision: 'needs-confirmation';
  readonly confirmText: string;
  readonly message: string;
  /** Outside production: a plain confirm (handlers/command-runs.ts, askPlainly). */
  readonly plain?: boolean;
}

export type CommandDecision = AllowDecision | BlockDecision | ConfirmationDecision;

export function block(rule: BlockRule, message: string, hint: string): BlockDecision {
  return { decision: 'block', rule, message, hint };
}

/** Thrown inside a policy to stop at the first refusal; policies catch it and return it. */
export class CommandRefusal extends Error {
  readonly refusal: BlockDecision;

  constructor(refusal: BlockDecision) {
    super(refusal.message);
    this.name = 'CommandRefusal';
    this.refusal = refusal;
  }
}

export function refuse(rule: BlockRule, message: string, hint: string): never {
  throw new CommandRefusal(block(rule, message, hint));
}

export function catchRefusal(decide: () => CommandDecision): CommandDecision {
  try {
    return decide();
  } catch (error) {
    if (error instanceof CommandRefusal) return error.refusal;
    throw error;
  }
}

/** Production caution shared by both policies: same confirm text the user will see and retype. */
export function confirmIfProduction(
  allowed: AllowDecision,
  modifiesData: boolean,
  production: boolean,
  confirmation: string | undefined,
  shownArgv: readonly string[] = allowed.auditArgv,
): CommandDecision {
  if (!production || !modifiesData) return allowed;
  const confirmText = displayCommand(shownArgv);
  if (confirmation === confirmText) return allowed;
  return {
    decision: 'needs-confirmation',
    confirmText,
    message: `This command changes data in a production environment. To run it, confirm by repeating: ${confirmText}`,
  };
}

/** Renders argv the way the tokenizer would read it back: single-quotes words that need it. */
export function displayCommand(argv: readonly string[]): string {
  return argv
    .map((word) => {
      if (/^[A-Za-z0-9_@%+=:,./<>-]+$/.test(word)) return word;
      return word.includes("'") ? `"${word}"` : `'${word}'`;
    })
    .join(' ');
}
