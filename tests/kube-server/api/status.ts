// metav1.Status errors worded like the apiserver's, so kubectl prints what it prints against a
// real cluster ("Error from server (NotFound): pods \"x\" not found").

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: StatusBody['details'];

  constructor(code: number, reason: string, message: string, details?: StatusBody['details']) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): StatusBody {
    const body: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) body.details = this.details;
    return body;
  }
}

/** "pods" or "deployments.apps", the qualified resource the apiserver names in messages. */
export function qualifiedResource(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

export function notFound(group: string, plural: string, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(group, plural)} "${name}" not found`, { name, group: group || undefined, kind: plural });
}

export function alreadyExists(group: string, plural: string, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(group, plural)} "${name}" already exists`, { name, group: group || undefined, kind: plural });
}

/** Every generated name drawn was taken (apimachinery's NewGenerateNameConflict). */
export function generateNameConflict(group: string, plural: string, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(group, plural)} "${name}" already exists, the server was not able to generate a unique name for the object`, {
    name,
    group: group || undefined,
    kind: plural,
    retryAfterSeconds: 1,
  });
}

export function conflict(group: string, plural: string, name: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(group, plural)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: group || undefined, kind: plural },
  );
}

export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): ApiError {
  const list = causes.map((cause) => `${cause.field}: ${cause.message}`);
  const summary = list.length === 1 ? (list[0] ?? '') : `[${list.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${summary}`, {
    name,
    group: group || undefined,
    kind,
    causes: causes.map((cause) => ({ reason: cause.reason ?? 'FieldValueInvalid', message: cause.message, field: cause.field })),
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function gone(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

export function methodNotAllowed(message = 'the server does not allow this method on the requested resource'): ApiError {
  return new ApiError(405, 'MethodNotAllowed', message);
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

export function notAcceptable(): ApiError {
  return new ApiError(406, 'NotAcceptable', 'the server was unable to respond with a content type that the client supports');
}

export function unsupportedMediaType(type: string): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${type})`);
}

export function forbidden(user: string, verb: string, group: string, resource: string, subresource: string, namespace: string, name: string): ApiError {
  const target = name ? `${qualifiedResource(group, resource)} "${name}"` : qualifiedResource(group, resource);
  const full = subresource ? `${resource}/${subresource}` : resource;
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  return new ApiError(403, 'Forbidden', `${target} is forbidden: User "${user}" cannot ${verb} resource "${full}" in API group "${group}" ${scope}`, {
    name: name || undefined,
    group: group || undefined,
    kind: resource,
  });
}

export function successStatus(details?: StatusBody['details']): Omit<StatusBody, 'message' | 'reason'> & { status: 'Success' } {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200 };
}
