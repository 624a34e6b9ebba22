/**
 * A DELETE body is decoded as kube-apiserver decodes it: into meta.k8s.io DeleteOptions through the
 * meta API scheme (the body's kind and apiVersion default to DeleteOptions, meta.k8s.io/v1). A body
 * of any other kind fails decoding instead of being read as options: a kind the scheme knows but
 * that is not DeleteOptions (the other option kinds) cannot be converted; any other kind is not
 * registered there at all. Wrong JSON types fail as Go's decoder words them.
 *
 * Kubernetes 1.32 answers these with the decoder's error as a reason-less 500 (the handler passes
 * it on unwrapped; kubernetes#133358 made them 400s in 1.35), and so does Kube Sim.
 */
import { StatusError } from '../../api/errors';
import type { Status } from '../../api/types';
import { findTypeMismatch } from '../decode-types';
import { fieldIndex } from '../schema';

const META_SCHEME = 'pkg/apis/meta/internalversion/scheme/register.go:27';
/** Kinds the meta scheme registers besides DeleteOptions: they decode, but are no DeleteOptions. */
const OTHER_META_KINDS = new Set(['ListOptions', 'GetOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions', 'TableOptions', 'Status', 'WatchEvent', 'List', 'Table', 'PartialObjectMetadata', 'PartialObjectMetadataList']);
const DELETE_OPTIONS_DEFINITION = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';

/** What kube-apiserver makes of an error that is no API status: 500, no reason, the text as is. */
function decodeFailure(message: string): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 };
  return new StatusError(status);
}

export function checkDeleteOptionsBody(body: Record<string, unknown>): void {
  // The type meta is read first, on its own (an anonymous struct, hence `.apiVersion`).
  for (const field of ['apiVersion', 'kind'] as const) {
    const value = body[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw decodeFailure(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(value)} into Go struct field .${field} of type string`);
    }
  }
  const kind = typeof body.kind === 'string' && body.kind !== '' ? body.kind : 'DeleteOptions';
  const apiVersion = typeof body.apiVersion === 'string' && body.apiVersion !== '' ? body.apiVersion : 'meta.k8s.io/v1';
  if (kind !== 'DeleteOptions') {
    if (OTHER_META_KINDS.has(kind) && ['v1', 'meta.k8s.io/v1', 'meta.k8s.io/v1beta1'].includes(apiVersion)) {
      throw decodeFailure('decoded object cannot be converted to DeleteOptions');
    }
    throw decodeFailure(`no kind "${kind}" is registered for version "${apiVersion}" in scheme "${META_SCHEME}"`);
  }
  const idx = fieldIndex();
  if (!idx) return;
  const mismatch = findTypeMismatch(idx, DELETE_OPTIONS_DEFINITION, body);
  if (mismatch !== undefined) throw decodeFailure(mismatch);
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'bool' : 'number';
}
