/**
 * A DELETE body is decoded as kube-apiserver decodes it: into meta.k8s.io DeleteOptions through the
 * meta API scheme (the body's kind and apiVersion default to DeleteOptions, meta.k8s.io/v1). A body
 * of any other kind fails decoding (400) instead of being read as options: a kind the scheme knows
 * but that is not DeleteOptions (the other option kinds) cannot be converted; any other kind is not
 * registered there at all. Wrong JSON types fail as Go's decoder words them.
 */
import { badRequest } from '../../api/errors';
import { findTypeMismatch } from '../decode-types';
import { fieldIndex } from '../schema';

const META_SCHEME = 'k8s.io/apimachinery/pkg/apis/meta/internalversion/scheme/register.go:28';
/** Kinds the meta scheme registers besides DeleteOptions: they decode, but are no DeleteOptions. */
const OTHER_META_KINDS = new Set(['ListOptions', 'GetOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions', 'TableOptions', 'Status', 'WatchEvent', 'List', 'Table', 'PartialObjectMetadata', 'PartialObjectMetadataList']);
const DELETE_OPTIONS_DEFINITION = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';

export function checkDeleteOptionsBody(body: Record<string, unknown>): void {
  const kind = typeof body.kind === 'string' && body.kind !== '' ? body.kind : 'DeleteOptions';
  const apiVersion = typeof body.apiVersion === 'string' && body.apiVersion !== '' ? body.apiVersion : 'meta.k8s.io/v1';
  if (kind !== 'DeleteOptions') {
    if (OTHER_META_KINDS.has(kind) && ['v1', 'meta.k8s.io/v1', 'meta.k8s.io/v1beta1'].includes(apiVersion)) {
      throw badRequest('decoded object cannot be converted to DeleteOptions');
    }
    throw badRequest(`no kind "${kind}" is registered for version "${apiVersion}" in scheme "${META_SCHEME}"`);
  }
  const idx = fieldIndex();
  if (!idx) return;
  const mismatch = findTypeMismatch(idx, DELETE_OPTIONS_DEFINITION, body);
  if (mismatch !== undefined) throw badRequest(mismatch);
}
