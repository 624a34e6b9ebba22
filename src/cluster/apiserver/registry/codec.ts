/**
 * How objects sit in the store (cluster contract): JSON text under `/registry/<resource>/<ns>/<name>`,
 * with `metadata.resourceVersion` left out; the resourceVersion is the key's modRevision, added on
 * the way out (as etcd3 storage does in kube-apiserver). Stored text always begins
 * `{"apiVersion":…,"kind":…,"metadata":{` so the resourceVersion can be spliced into the text
 * without parsing it: reads that need no filtering never decode the object.
 */
import type { KeyValue } from '../../store/types';
import type { KubeObject } from '../../api/types';

const METADATA = '"metadata":{';

/** The stored text for an object (its resourceVersion dropped, apiVersion/kind/metadata first). */
export function encodeObject(object: KubeObject, apiVersion: string, kind: string): string {
  const { resourceVersion: _rv, ...metadata } = object.metadata;
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = object;
  return JSON.stringify({ apiVersion, kind, metadata, ...rest });
}

/** The stored text with `metadata.resourceVersion` set to `revision`. */
export function withResourceVersion(text: string, revision: number): string {
  const i = text.indexOf(METADATA);
  if (i < 0) return text;
  const j = i + METADATA.length;
  const sep = text.charCodeAt(j) === 125 /* } */ ? '' : ',';
  return `${text.slice(0, j)}"resourceVersion":"${revision}"${sep}${text.slice(j)}`;
}

/** Decodes a stored key-value into an object that carries its resourceVersion. */
export function decodeKv(kv: KeyValue): KubeObject {
  const object = JSON.parse(kv.value) as KubeObject;
  object.metadata.resourceVersion = String(kv.modRevision);
  return object;
}

/** A JSON body already serialized: the HTTPS transport writes it as is, the in-process one parses it. */
export class RawJson {
  constructor(readonly text: string | Buffer) {}

  parse(): unknown {
    return JSON.parse(typeof this.text === 'string' ? this.text : this.text.toString('utf8'));
  }
}

/** RFC 3339 with second precision, as metav1.Time serializes (`2026-01-01T00:00:00Z`). */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** metav1.MicroTime (`2026-01-01T00:00:00.123000Z`). */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
