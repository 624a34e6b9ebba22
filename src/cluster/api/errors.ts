/**
 * API errors as Kubernetes Status objects. Every failure that reaches a client (HTTP or in-process)
 * is a StatusError; its `status` is exactly what goes on the wire. Messages follow
 * k8s.io/apimachinery/pkg/api/errors so that kubectl prints what it prints against a real cluster.
 */
import type { Status, StatusCause, StatusDetails } from './types';
import type { FieldError } from './field-errors';

/** The resource as errors name it: `pods`, `deployments.apps`, `leases.coordination.k8s.io`. */
export interface GroupResource {
  group: string;
  resource: string;
}

export function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export class StatusError extends Error {
  constructor(readonly status: Status, readonly warnings: string[] = []) {
    super(status.message ?? status.reason ?? 'unknown error');
    this.name = 'StatusError';
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string {
    return this.status.reason ?? '';
  }

  /** Rebuilds a StatusError from a Status received over the wire (client side). */
  static fromStatus(status: Status): StatusError {
    return new StatusError(status);
  }
}

export function isStatusError(err: unknown, reason?: string): err is StatusError {
  return err instanceof StatusError && (reason === undefined || err.reason === reason);
}

export function statusFailure(code: number, reason: string, message: string, details?: StatusDetails): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return new StatusError(status);
}

export function statusSuccess(code = 200, details?: StatusDetails): Status {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code };
  if (details) status.details = details;
  return status;
}

function details(gr: GroupResource, name: string, extra: Partial<StatusDetails> = {}): StatusDetails {
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (gr.group) d.group = gr.group;
  d.kind = gr.resource;
  return { ...d, ...extra };
}

export function notFound(gr: GroupResource, name: string): StatusError {
  return statusFailure(404, 'NotFound', `${qualifiedResource(gr)} "${name}" not found`, details(gr, name));
}

export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return statusFailure(409, 'AlreadyExists', `${qualifiedResource(gr)} "${name}" already exists`, details(gr, name));
}

export function conflict(gr: GroupResource, name: string, why: string): StatusError {
  return statusFailure(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${why}`, details(gr, name));
}

export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

/** `Pod "bad" is invalid: spec.containers[0].image: Required value` (several errors: `[a, b]`). */
export function invalid(kind: { group: string; kind: string }, name: string, errs: FieldError[]): StatusError {
  const causes: StatusCause[] = errs.map((e) => ({ reason: e.type, message: e.body(), field: e.field }));
  const aggregate = errs.length === 1 ? errs[0]!.toString() : `[${errs.map((e) => e.toString()).join(', ')}]`;
  const qualifiedKind = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
  const d: StatusDetails = { name, kind: kind.kind, causes };
  if (kind.group) d.group = kind.group;
  if (!name) delete d.name;
  return statusFailure(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${aggregate}`, d);
}

export function badRequest(message: string, causes?: StatusCause[]): StatusError {
  return statusFailure(400, 'BadRequest', message, causes ? { causes } : undefined);
}

export function unauthorized(message = 'Unauthorized'): StatusError {
  return statusFailure(401, 'Unauthorized', message);
}

/** `pods "x" is forbidden: User "viewer" cannot delete resource "pods" in API group "" in the namespace "default"` */
export function forbidden(gr: GroupResource, name: string, why: string): StatusError {
  const subject = name ? `${qualifiedResource(gr)} "${name}"` : qualifiedResource(gr);
  return statusFailure(403, 'Forbidden', `${subject} is forbidden: ${why}`, details(gr, name));
}

export function methodNotSupported(gr: GroupResource, action: string): StatusError {
  return statusFailure(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualifiedResource(gr)}"`, details(gr, ''));
}

export function gone(message: string): StatusError {
  return statusFailure(410, 'Gone', message);
}

/** Watch or list from a compacted resourceVersion: `too old resource version: 5 (1000)`. */
export function expired(message: string): StatusError {
  return statusFailure(410, 'Expired', message);
}

export function requestEntityTooLarge(limitBytes: number): StatusError {
  return statusFailure(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limitBytes}`);
}

export function unsupportedMediaType(accepted: string[]): StatusError {
  return statusFailure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}

export function notAcceptable(accepted: string[]): StatusError {
  return statusFailure(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`);
}

export function tooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return statusFailure(429, 'TooManyRequests', message, { retryAfterSeconds });
}

export function timeout(message: string, retryAfterSeconds = 0): StatusError {
  return statusFailure(504, 'Timeout', message, retryAfterSeconds ? { retryAfterSeconds } : undefined);
}

export function internalError(err: unknown): StatusError {
  const text = err instanceof Error ? err.message : String(err);
  return statusFailure(500, 'InternalError', `Internal error occurred: ${text}`, { causes: [{ message: text }] });
}
