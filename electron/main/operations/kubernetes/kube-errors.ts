import { AppError } from '../../../../shared/errors.ts';
import type { KubeDoing } from '../../../../shared/kube-doing.ts';

export { doing } from '../../../../shared/kube-doing.ts';

interface KubeStatusBody {
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
}

/** The HTTP code of a client-node ApiException (or a watch's failed status), if this is one. */
export function kubeStatusCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  // A DOMException (a request's deadline: TimeoutError) carries a numeric legacy `code` too.
  if (error instanceof DOMException) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'number') return code;
  if (typeof statusCode === 'number') return statusCode;
  return undefined;
}

function statusBody(error: unknown): KubeStatusBody | undefined {
  const body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      return typeof parsed === 'object' && parsed !== null ? (parsed as KubeStatusBody) : undefined;
    } catch {
      return { message: body.slice(0, 500) };
    }
  }
  return typeof body === 'object' && body !== null ? (body as KubeStatusBody) : undefined;
}

function causeText(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof AggregateError) return cause.errors.map((inner) => (inner instanceof Error ? inner.message : String(inner))).join('; ');
  if (cause instanceof Error) return cause.message;
  return error.message;
}

/**
 * Turns whatever client-node threw into an AppError whose message reads like kubectl's
 * ("Error from server (Forbidden): pods "x" is forbidden: User "viewer" cannot delete …").
 * `doing` says what the app was trying (`doing('deletePod', { pod: 'shop/web-1' })`): its English goes
 * into the message ("… while deleting pod shop/web-1 …"), its key and names into the keyed text
 * (`doingKey` + the names), so the window says it in its own language.
 */
export function kubernetesError(error: unknown, doing: KubeDoing): AppError {
  if (error instanceof AppError) return error;
  const what = doing.english;
  const keyed = (detail: string) => ({ detail, doingKey: doing.key, ...doing.params });
  const code = kubeStatusCode(error);
  if (code !== undefined) {
    const body = statusBody(error);
    const reason = body?.reason ?? '';
    const detail = body?.message ?? `HTTP ${code}`;
    const kubectlLike = `Error from server${reason ? ` (${reason})` : ''}: ${detail}`;
    const details = { status: code, ...(reason ? { reason } : {}) };
    if (code === 401) return new AppError('AUTH_FAILED', `The cluster did not accept the credentials while ${what}: ${kubectlLike}`, details, { key: 'operations.kube.credentialsRejected', params: keyed(kubectlLike) });
    if (code === 403) return new AppError('PERMISSION_DENIED', kubectlLike, details, { key: 'operations.kube.forbidden', params: { detail: kubectlLike } });
    if (code === 404) return new AppError('NOT_FOUND', kubectlLike, details, { key: 'operations.kube.notFound', params: { detail: kubectlLike } });
    if (code === 409 || code === 410) return new AppError('CONFLICT', kubectlLike, details, { key: 'operations.kube.conflict', params: { detail: kubectlLike } });
    if (code === 400 || code === 422) return new AppError('INVALID_INPUT', kubectlLike, details, { key: 'operations.kube.invalid', params: { detail: kubectlLike } });
    if (code === 429 || code >= 500) return new AppError('UNAVAILABLE', `The API server could not answer while ${what}: ${kubectlLike}`, details, { key: 'operations.kube.unavailable', params: keyed(kubectlLike) });
    return new AppError('INTERNAL', `Unexpected answer while ${what}: ${kubectlLike}`, details, { key: 'operations.kube.unexpected', params: keyed(kubectlLike) });
  }
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return new AppError('TIMEOUT', `The API server did not answer in time while ${what}.`, undefined, { key: 'operations.kube.timeout', params: { doingKey: doing.key, ...doing.params } });
    return new AppError('UNREACHABLE', `Cannot reach the Kubernetes API server while ${what}: ${causeText(error)}`, undefined, { key: 'operations.kube.unreachable', params: keyed(causeText(error)) });
  }
  return new AppError('UNREACHABLE', `Cannot reach the Kubernetes API server while ${what}: ${String(error)}`, undefined, { key: 'operations.kube.unreachable', params: keyed(String(error)) });
}

/** Runs one API request and turns its failure into the readable, kubectl-worded AppError. */
export async function kubeRequest<T>(doing: KubeDoing, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw kubernetesError(error, doing);
  }
}
