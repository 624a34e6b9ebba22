/**
 * Server-side dry run of a manifest (issue 7, diagnostics on save): each Kubernetes document goes to
 * the API server with dryRun=All, as server-side apply (`kubectl apply --server-side --dry-run=server`),
 * or as a create when it has no name yet (generateName). The API server's own validation, the part
 * the schema does not express (a container without an image), comes back as a Status whose causes
 * name fields; each cause lands on the YAML that holds its field. Warnings come back as warnings.
 */
import type { Document } from 'yaml';
import { isStatusError } from '../cluster/api/errors';
import type { KubeObject } from '../cluster/api/types';
import type { ApiClient } from '../cluster/client/client';
import { documentKind } from '../schema/explain/document-kind';
import { rangeOf, type ManifestDiagnostic } from '../schema/explain/diagnostics';
import { fieldRange } from '../schema/explain/field-range';
import { parseText } from '../schema/explain/parsed-text';
import { loadFieldIndex, type FieldIndex } from '../schema/field-index';
import { RestMapper } from '../ui/apply/rest-mapper';

export const DRY_RUN_FIELD_MANAGER = 'kube-sim-dry-run';

export async function dryRunDiagnostics(
  text: string,
  client: ApiClient,
  options: { namespace?: string; index?: FieldIndex } = {},
): Promise<ManifestDiagnostic[]> {
  const index = options.index ?? loadFieldIndex();
  const mapper = new RestMapper(client);
  const out: ManifestDiagnostic[] = [];
  const parsed = parseText(text);
  for (let d = 0; d < parsed.documents.length; d++) {
    const doc = parsed.documents[d];
    if (doc.errors.length > 0) continue; // the schema diagnostics already say what is wrong
    const object = doc.toJS() as KubeObject | null;
    if (!object || typeof object !== 'object' || typeof object.kind !== 'string' || typeof object.apiVersion !== 'string') continue;
    if (documentKind(index, doc) === undefined) continue;
    const anchor = kindRange(doc);
    try {
      const mapping = await mapper.mapping(object.apiVersion, object.kind);
      const namespace = mapping.namespaced ? object.metadata?.namespace ?? options.namespace ?? 'default' : undefined;
      const resource = client.resource(mapping.gvr);
      const name = object.metadata?.name;
      const result = name
        ? await resource.patchWithWarnings(name, 'apply', object, { namespace, dryRun: true, fieldManager: DRY_RUN_FIELD_MANAGER, force: true })
        : await resource.createWithWarnings(object, { namespace, dryRun: true });
      for (const warning of result.warnings) {
        out.push({ range: warningRange(doc, warning) ?? anchor, severity: 'warning', code: 'dry-run', message: warning, document: d });
      }
    } catch (err) {
      if (!isStatusError(err)) {
        out.push({ range: anchor, severity: 'error', code: 'dry-run', message: err instanceof Error ? err.message : String(err), document: d });
        continue;
      }
      const causes = (err.status.details?.causes ?? []).filter((c) => c.field);
      if (causes.length === 0) {
        out.push({ range: anchor, severity: 'error', code: 'dry-run', message: err.message, document: d });
        continue;
      }
      for (const cause of causes) {
        const field = cause.field!;
        const where = fieldRange(doc, field);
        out.push({
          range: where?.range ?? anchor,
          severity: 'error',
          code: 'dry-run',
          message: `${field}: ${cause.message ?? cause.reason ?? 'invalid'}`,
          document: d,
          fieldPath: field,
        });
      }
    }
  }
  return out;
}

function kindRange(doc: Document): [number, number] {
  const node = doc.get('kind', true) as Parameters<typeof rangeOf>[0] | undefined;
  return node ? rangeOf(node) : [0, 0];
}

/** Warnings that start with a field path (`spec.containers[0].image: ...`) land on that field. */
function warningRange(doc: Document, warning: string): [number, number] | undefined {
  const match = /^([a-zA-Z][\w.[\]-]*):\s/.exec(warning);
  if (!match || !match[1].includes('.')) return undefined;
  return fieldRange(doc, match[1])?.range;
}
