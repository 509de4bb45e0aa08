import { performance } from 'node:perf_hooks';
import { CoreV1Api, VersionApi } from '@kubernetes/client-node';
import type { ConnectionMethod, MethodAttempt } from '../../../shared/contract/connections.ts';
import type { ConnectionTest } from '../../../shared/contract/environments.ts';
import type { KeyedText } from '../../../shared/contract/keyed-text.ts';
import { AppError, keyedText, type MessageText } from '../../../shared/errors.ts';
import type { EnvironmentRecord } from '../environments/environment-repository.ts';
import { NoUsableMethod } from './connection-methods.ts';
import { withReasonText, type ConnectionResolver } from './connection-resolver.ts';
import type { RuntimeAccess } from './runtime-access.ts';

const networkCodes = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);
const tlsCodes = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|DEPTH_ZERO/;

function errorCodeOf(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** client-node and dockerode errors in words a user can act on; never quoting a response body. */
export function describeRuntimeError(error: unknown, env: EnvironmentRecord): AppError {
  if (error instanceof AppError) return error;
  const status = (error as { code?: unknown; statusCode?: unknown }).statusCode ?? (error as { code?: unknown }).code;
  const what = env.target.kind === 'kubernetes' ? `the API server of "${env.name}"` : `the engine of "${env.name}"`;
  // The same sentences for both targets, each its own key: Korean words "the API server of" and "the engine of" differently.
  const text = (name: string, params: Record<string, string | number> = {}) => ({
    key: `connections.test.${env.target.kind === 'kubernetes' ? 'apiServer' : 'engine'}.${name}`,
    params: { environment: env.name, ...params },
  });
  if (status === 401) {
    const tokenFile = env.target.kind === 'kubernetes' ? env.target.context.tokenFile : undefined;
    const which = tokenFile ? `the token in ${tokenFile} is not valid (any more)` : 'the token or certificate is not valid (any more)';
    return new AppError('AUTH_FAILED', `${what} refused the credentials (401 Unauthorized): ${which}.`, undefined, tokenFile ? text('tokenFileRefused', { tokenFile }) : text('credentialsRefused'));
  }
  if (status === 403) return new AppError('PERMISSION_DENIED', `Connected to ${what}, but the user may not list what the test reads (403 Forbidden).`, undefined, text('forbidden'));
  if (typeof status === 'number') return new AppError('UNAVAILABLE', `${what} answered with HTTP ${status}.`, undefined, text('httpStatus', { status }));
  const code = errorCodeOf(error);
  if (code && tlsCodes.test(code)) return new AppError('UNREACHABLE', `The TLS certificate of ${what} could not be verified (${code}); check the kubeconfig's certificate-authority.`, { reason: code }, text('tlsUnverified', { code }));
  if (code && networkCodes.has(code)) return new AppError('UNREACHABLE', `Cannot reach ${what} (${code}).`, { reason: code }, text('unreachable', { code }));
  const detail = error instanceof Error ? error.message.slice(0, 200) : 'unknown error';
  return new AppError('UNAVAILABLE', `The connection test to ${what} failed: ${detail}.`, undefined, text('failed', { detail }));
}

/**
 * environments.testConnection: resolves the method afresh (probes), then does what a user
 * would notice: for a cluster, the server version and the pods in its namespace; for an
 * engine, its version and its containers. Every failure becomes a state with a readable message.
 */
export class ConnectionTester {
  private readonly runtime: RuntimeAccess;
  private readonly resolver: ConnectionResolver;

  constructor(runtime: RuntimeAccess, resolver: ConnectionResolver) {
    this.runtime = runtime;
    this.resolver = resolver;
  }

  async test(env: EnvironmentRecord): Promise<ConnectionTest> {
    const started = performance.now();
    let chosen: { method: ConnectionMethod; reason: string; reasonText?: KeyedText | undefined; attempts: readonly MethodAttempt[] } | undefined;
    try {
      chosen = await this.resolver.resolve(env, { fresh: true });
      const details = env.target.kind === 'kubernetes' ? await this.kubernetesDetails(env) : await this.engineDetails(env);
      return { state: 'connected', ok: true, method: chosen.method, reason: chosen.reason, ...withReasonText(chosen.reasonText), latencyMs: Math.round(performance.now() - started), attempts: [...chosen.attempts], details };
    } catch (error) {
      if (error instanceof NoUsableMethod) return failureState(error.primary, error.method, { reason: error.message, text: error.reasonText }, [...error.attempts]);
      const described = describeRuntimeError(error, env);
      if (chosen) this.resolver.markFailed(env, chosen.method, described);
      return failureState(described, chosen?.method, { reason: described.message, text: described.text }, [...(chosen?.attempts ?? [])]);
    }
  }

  private async kubernetesDetails(env: EnvironmentRecord): Promise<Extract<ConnectionTest, { ok: true }>['details']> {
    const access = await this.runtime.kubernetes(env.id);
    const version = await access.kubeConfig.makeApiClient(VersionApi).getCode();
    const pods = await access.kubeConfig.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: access.namespace, limit: 500 });
    return { serverVersion: version.gitVersion, namespace: access.namespace, pods: pods.items.length + (pods.metadata?.remainingItemCount ?? 0) };
  }

  private async engineDetails(env: EnvironmentRecord): Promise<Extract<ConnectionTest, { ok: true }>['details']> {
    const { docker, kind } = await this.runtime.engine(env.id, { recheck: true });
    const version = await docker.version();
    const containers = await docker.listContainers({ all: true });
    return { engineVersion: version.Version, engineKind: kind, apiVersion: version.ApiVersion, containers: containers.length };
  }
}

function failureState(error: AppError, method: ConnectionMethod | undefined, why: { reason: string; text: MessageText | undefined }, attempts: MethodAttempt[]): ConnectionTest {
  const details = error.details ?? {};
  const text = (key: string): string | undefined => (typeof details[key] === 'string' ? details[key] : undefined);
  const fingerprint = text('presentedFingerprint');
  if (error.code === 'HOST_KEY_UNKNOWN' && fingerprint) {
    return {
      state: 'needs-host-key-confirmation',
      ok: false,
      method: method ?? 'ssh',
      reason: error.message,
      ...withReasonText(error.text),
      hostPort: text('hostPort') ?? '',
      fingerprint,
      keyType: text('keyType') ?? 'unknown',
      attempts,
    };
  }
  const previous = text('previousFingerprint');
  return {
    state: 'error',
    ok: false,
    ...(method ? { method } : {}),
    reason: why.reason,
    ...withReasonText(why.text),
    error: { code: error.code, message: error.message, ...(error.text ? errorTextFields(error.text) : {}) },
    ...(error.code === 'HOST_KEY_CHANGED' && previous && fingerprint ? { previousFingerprint: previous, presentedFingerprint: fingerprint, hostPort: text('hostPort') ?? '', keyType: text('keyType') ?? 'unknown' } : {}),
    attempts,
  };
}

/** An error's key, parameters and keyed parts, as an error body carries them. */
function errorTextFields(text: MessageText): { messageKey: string; params: Record<string, string | number>; messageParts?: Record<string, KeyedText[]> } {
  const keyed = keyedText(text);
  return { messageKey: keyed.key, params: { ...keyed.params }, ...(keyed.parts === undefined ? {} : { messageParts: keyed.parts }) };
}
