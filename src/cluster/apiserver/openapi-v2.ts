/**
 * GET /openapi/v2: the definitions of the served API as an OpenAPI v2 document, in the gnostic
 * protobuf kubectl asks for (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`; JSON
 * otherwise). kubectl needs it for one thing today: validating the items of a `kind: List` file
 * (`kubectl apply -f list.yaml`), which it does client-side against the v2 models (looked up by
 * their x-kubernetes-group-version-kind) instead of asking the server for field validation.
 *
 * The document is derived from the build's OpenAPI v3 documents (components.schemas are the same
 * definitions): `$ref`s (bare or wrapped in allOf) point into #/definitions, oneOf types
 * (IntOrString, Quantity) become strings as v2 declares them, and only what validation reads is
 * kept (type, format, required, properties, items, additionalProperties, the GVK extension):
 * descriptions are left out (kubectl explain reads v3). Built once, on first request.
 */
import { stringify } from 'yaml';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { schemaAssetsDir } from '../../schema/location';
import { statusFailure } from '../api/errors';
import { parseAccept } from './negotiation';
import { RawJson } from './registry/codec';
import type { ApiResponse } from './types';

/** What kubectl asks for; the answer is labelled with the spelling Go's mime parser accepts (no `@`), as kube-apiserver does. */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
const OPENAPI_V2_PROTOBUF_SERVED = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const GVK_EXTENSION = 'x-kubernetes-group-version-kind';
const V3_REF = '#/components/schemas/';

type V3Schema = Record<string, unknown>;

interface V2Schema {
  ref?: string;
  type?: string;
  format?: string;
  required?: string[];
  properties?: [string, V2Schema][];
  items?: V2Schema;
  additionalProperties?: V2Schema | boolean;
  gvk?: unknown;
}

/** Protobuf writer for the few wire types gnostic's messages use. */
class Writer {
  private readonly parts: Buffer[] = [];
  private size = 0;

  private push(b: Buffer): void {
    this.parts.push(b);
    this.size += b.length;
  }

  private varint(n: number): void {
    const bytes: number[] = [];
    while (n > 0x7f) {
      bytes.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    bytes.push(n);
    this.push(Buffer.from(bytes));
  }

  bytesField(field: number, b: Buffer): void {
    this.varint((field << 3) | 2);
    this.varint(b.length);
    this.push(b);
  }

  string(field: number, s: string | undefined): void {
    if (s !== undefined && s !== '') this.bytesField(field, Buffer.from(s, 'utf8'));
  }

  bool(field: number, v: boolean): void {
    if (!v) return;
    this.varint(field << 3);
    this.varint(1);
  }

  message(field: number, write: (w: Writer) => void): void {
    const inner = new Writer();
    write(inner);
    this.bytesField(field, inner.finish());
  }

  finish(): Buffer {
    return Buffer.concat(this.parts, this.size);
  }
}

function convert(s: V3Schema): V2Schema {
  const ref = typeof s.$ref === 'string' ? s.$ref : Array.isArray(s.allOf) && s.allOf.length === 1 ? (s.allOf[0] as V3Schema).$ref : undefined;
  if (typeof ref === 'string') return { ref: `#/definitions/${ref.startsWith(V3_REF) ? ref.slice(V3_REF.length) : ref}` };
  const out: V2Schema = {};
  if (typeof s.type === 'string') out.type = s.type;
  else if (Array.isArray(s.oneOf)) out.type = 'string';
  if (typeof s.format === 'string') out.format = s.format;
  if (Array.isArray(s.required)) out.required = s.required as string[];
  if (s.properties && typeof s.properties === 'object') {
    out.properties = Object.entries(s.properties as Record<string, V3Schema>).map(([k, v]) => [k, convert(v)]);
  }
  if (s.items && typeof s.items === 'object') out.items = convert(s.items as V3Schema);
  if (typeof s.additionalProperties === 'boolean') out.additionalProperties = s.additionalProperties;
  else if (s.additionalProperties && typeof s.additionalProperties === 'object') out.additionalProperties = convert(s.additionalProperties as V3Schema);
  if (s[GVK_EXTENSION] !== undefined) out.gvk = s[GVK_EXTENSION];
  // kube-openapi reads an array without items as an error: give it arbitrary items.
  if (out.type === 'array' && out.items === undefined) out.items = {};
  return out;
}

/** openapi.v2.Schema: _ref 1, format 2, required 19, additional_properties 21, type 22, items 23, properties 25, vendor_extension 31. */
function writeSchema(w: Writer, s: V2Schema): void {
  w.string(1, s.ref);
  w.string(2, s.format);
  for (const r of s.required ?? []) w.string(19, r);
  if (s.additionalProperties !== undefined) {
    const ap = s.additionalProperties;
    w.message(21, (a) => (typeof ap === 'boolean' ? a.bool(2, ap) : a.message(1, (x) => writeSchema(x, ap))));
  }
  if (s.type !== undefined) w.message(22, (t) => t.string(1, s.type));
  if (s.items !== undefined) w.message(23, (i) => i.message(1, (x) => writeSchema(x, s.items!)));
  if (s.properties !== undefined) {
    w.message(25, (p) => {
      for (const [name, value] of s.properties!) p.message(1, (n) => { n.string(1, name); n.message(2, (x) => writeSchema(x, value)); });
    });
  }
  if (s.gvk !== undefined) {
    // NamedAny{name, value: Any{yaml}}
    w.message(31, (n) => { n.string(1, GVK_EXTENSION); n.message(2, (a) => a.string(2, stringify(s.gvk))); });
  }
}

function toJson(s: V2Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s.ref !== undefined) out.$ref = s.ref;
  if (s.type !== undefined) out.type = s.type;
  if (s.format !== undefined) out.format = s.format;
  if (s.required !== undefined) out.required = s.required;
  if (s.properties !== undefined) out.properties = Object.fromEntries(s.properties.map(([k, v]) => [k, toJson(v)]));
  if (s.items !== undefined) out.items = toJson(s.items);
  if (s.additionalProperties !== undefined) out.additionalProperties = typeof s.additionalProperties === 'boolean' ? s.additionalProperties : toJson(s.additionalProperties);
  if (s.gvk !== undefined) out[GVK_EXTENSION] = s.gvk;
  return out;
}

interface Built {
  protobuf: Buffer;
  json: string;
}

let built: Built | undefined;

/** Every definition of the v3 documents, converted, by name (sorted, as kube-apiserver lists them). */
function definitions(dir: string): [string, V2Schema][] {
  const all = new Map<string, V2Schema>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.json') || file === 'index.json') continue;
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { components?: { schemas?: Record<string, V3Schema> } };
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) if (!all.has(name)) all.set(name, convert(schema));
  }
  return [...all.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function buildOpenApiV2(dir: string = join(schemaAssetsDir(), 'openapi', 'v3'), version = 'v1.32.0'): Built {
  const defs = definitions(dir);
  const w = new Writer();
  w.string(1, '2.0');
  w.message(2, (i) => { i.string(1, 'Kubernetes'); i.string(2, version); });
  w.message(8, () => undefined);
  w.message(9, (d) => {
    for (const [name, schema] of defs) d.message(1, (n) => { n.string(1, name); n.message(2, (x) => writeSchema(x, schema)); });
  });
  const json = JSON.stringify({ swagger: '2.0', info: { title: 'Kubernetes', version }, paths: {}, definitions: Object.fromEntries(defs.map(([k, v]) => [k, toJson(v)])) });
  return { protobuf: w.finish(), json };
}

export function openapiV2Response(accept: string | undefined, version: string): ApiResponse {
  if (!built) {
    try {
      built = buildOpenApiV2(undefined, version);
    } catch (err) {
      throw statusFailure(404, 'NotFound', `the server could not find the requested resource: OpenAPI documents are missing from this build (${(err as Error).message})`, {});
    }
  }
  const wantsProtobuf = parseAccept(accept).some((r) => r.type === OPENAPI_V2_PROTOBUF || r.type === OPENAPI_V2_PROTOBUF_SERVED);
  if (wantsProtobuf) return { status: 200, headers: { 'Content-Type': OPENAPI_V2_PROTOBUF_SERVED }, body: built.protobuf };
  return { status: 200, headers: { 'Content-Type': 'application/json' }, body: new RawJson(built.json) };
}
