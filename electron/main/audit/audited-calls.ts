import { contract, type CallName } from '../../../shared/contract/index.ts';
import { isAppError, type ErrorCode } from '../../../shared/errors.ts';
import type { AuditDetails } from './audit-row.ts';
import type { AuditTrail } from './audit-trail.ts';

/**
 * Contract calls that change nothing an operator is accountable for: reads, previews, probes,
 * watches' retries and the list's own refresh. Every OTHER call is mutating and must leave
 * audit rows (tests/integration/audit/mutating-calls.test.ts has one case per mutating call and
 * fails when a call is added to the contract without one).
 */
export const readOnlyCalls: ReadonlySet<CallName> = new Set<CallName>([
  'app.info',
  // the window's colour scheme: a preference of this workstation, no operational action
  'app.setWindowTheme',
  'app.reconnectKeychain',
  'audit.list',
  'audit.verify',
  'audit.export',
  'environments.list',
  'environments.detectEngines',
  'environments.dockerContexts',
  'environments.previewKubeconfig',
  'environments.discoverKubeconfig',
  'environments.testConnection',
  'sshIdentities.list',
  'vpnProfiles.list',
  'connections.get',
  'connections.firstOpen',
  'hostKeys.knownHosts',
  'sshConfig.hosts',
  'catalog.list',
  'catalog.namespaces',
  'catalog.setFavourite',
  'operations.describe',
  'overview.get',
  'pods.retryWatch',
  'pods.analyzePending',
  'scaling.get',
  'containers.setAutoRefresh',
  'containers.refresh',
  'deployment.get',
  'containers.deployment',
  'engineDomains.list',
  'commands.context',
  'logs.targets',
  'logs.fetch',
  'config.list',
  'domains.list',
  'security.history',
  'security.report',
  // dry runs and recreate plans: nothing is stored or changed
  'changes.preview',
  'policy.get',
]);

export function mutatingCalls(): CallName[] {
  return (Object.keys(contract) as (keyof typeof contract)[]).filter(
    (name): name is CallName => contract[name].kind === 'call' && !readOnlyCalls.has(name as CallName),
  );
}

// The app decided not to do it. Unexpected failures are not refusals: a service that fails
// after acting records that inside audited().
const refusalCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PERMISSION_DENIED',
  'BLOCKED_COMMAND',
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'LIMIT_REACHED',
  'HOST_KEY_CHANGED',
  'HOST_KEY_UNKNOWN',
  'KEYCHAIN_UNAVAILABLE',
  'KUBECONFIG_INVALID',
  'VPN_PROFILE_INVALID',
  'KEY_PASSPHRASE_INVALID',
]);

const idFields = ['serviceId', 'environmentId', 'id', 'pod', 'container', 'name', 'host'] as const;

/**
 * The router's hook around every call: a mutating call that is refused (unknown target,
 * permission, policy, production confirmation) before it reached an audited path still leaves a
 * "refused" row. Rows the service wrote itself count: no second row then.
 */
export function auditRefusedCalls(trail: AuditTrail) {
  return async (name: CallName, input: unknown, run: () => unknown): Promise<unknown> => {
    if (readOnlyCalls.has(name)) return run();
    const { result, rowsWritten } = await trail.tracking(async () => {
      try {
        return { ok: true as const, value: await run() };
      } catch (error) {
        return { ok: false as const, error };
      }
    });
    if (rowsWritten === 0) {
      if (!result.ok && isAppError(result.error) && refusalCodes.has(result.error.code)) {
        await trail.refused(intentFor(name, input), result.error);
      } else if (result.ok && isNeedsConfirmation(result.value)) {
        await trail.refused(intentFor(name, input), new Error(result.value.message));
      }
    }
    if (!result.ok) throw result.error;
    return result.value;
  };
}

function isNeedsConfirmation(value: unknown): value is { status: 'needs-confirmation'; message: string } {
  return typeof value === 'object' && value !== null && 'status' in value && value.status === 'needs-confirmation' && 'message' in value && typeof value.message === 'string';
}

/** `environments.addEngine` → action `environments.add-engine`; target from the ids in the input (never secret fields). */
export function intentFor(name: CallName, input: unknown): { action: string; target: string; environmentId?: string; details: AuditDetails } {
  const action = name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  const fields = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const ids: AuditDetails = {};
  for (const field of idFields) {
    const value = fields[field];
    if (typeof value === 'string' && value.length > 0) ids[field] = value.slice(0, 200);
  }
  const target = Object.values(ids).map(String).join('/') || name;
  const environmentId = typeof fields.environmentId === 'string' && fields.environmentId.length > 0 ? fields.environmentId.slice(0, 200) : undefined;
  return { action, target: target.slice(0, 500), ...(environmentId === undefined ? {} : { environmentId }), details: { call: name, ...ids } };
}
