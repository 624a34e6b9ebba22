/**
 * Wrong JSON types, refused as kube-apiserver's decoder refuses them (400, before admission):
 * `Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal object into Go struct
 * field PodSpec.spec.containers of type []v1.Container`.
 *
 * Built-in kinds are decoded into Go structs by sigs.k8s.io/json (encoding/json's rules): the first
 * mismatch wins, in document order; the message names the JSON value's kind (object, array, string,
 * number, bool; `number 1.5` when a number does not fit an integer), the Go struct that declares the
 * innermost field, the path of field names from the root (json names joined by `.`, without list
 * indices or map keys), and the Go type of the target (`[]v1.Container`, `map[string]string`,
 * `int32`; named string types such as v1.RestartPolicy are not known here and print as `string`).
 * `null` decodes into anything. Types with their own decoders answer in their own words:
 * IntOrString takes a string or an int32, Quantity a string or a number whose text (trimmed) parses
 * (ParseQuantity's errors; anything else fails its format), Time a string that time.Parse takes as
 * RFC 3339 (its parse error otherwise, time-parse.ts); RawExtension and FieldsV1 take anything.
 *
 * The walk touches only the fields present and builds no text unless it finds a mismatch.
 */
import type { FieldIndex } from '../../schema/field-index';
import { ERR_FORMAT_WRONG, Quantity, quantityText } from '../api/quantity';
import { rfc3339ParseError } from '../api/time-parse';
import type { SchemaDefinition, SchemaNode } from '../../schema/types';
import type { DecodeCheck } from '../../schema/unknown-fields';

const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';

interface Context {
  /** The definition of the Go struct that declares the innermost field (io.k8s.api.core.v1.PodSpec; '' at the root). */
  struct: string;
  /** The fields walked so far. */
  fields: string[];
}

/** The decode error's text (without the kind prefix), or undefined when every field has a fitting type. */
export function findTypeMismatch(index: FieldIndex, rootDefinition: string, object: unknown): string | undefined {
  const root = index.definition(rootDefinition);
  if (root === undefined || object === null || typeof object !== 'object' || Array.isArray(object)) return undefined;
  return walkStruct(index, rootDefinition, root, object as Record<string, unknown>, { struct: '', fields: [] });
}

function walkStruct(index: FieldIndex, name: string, def: SchemaDefinition, record: Record<string, unknown>, ctx: Context): string | undefined {
  const props = def.properties;
  if (props === undefined) return undefined;
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(props, key)) continue;
    const value = record[key];
    if (value === null) continue;
    ctx.fields.push(key);
    const saved = ctx.struct;
    ctx.struct = name;
    const err = check(index, props[key]!, value, ctx);
    ctx.struct = saved;
    ctx.fields.pop();
    if (err !== undefined) return err;
  }
  return undefined;
}

function check(index: FieldIndex, node: SchemaNode, value: unknown, ctx: Context): string | undefined {
  return value === null ? undefined : checkAs(index, node, index.deref(node), value, ctx);
}

/** `check` of a value that is not null, with the definition `node` stands for. */
function checkAs(index: FieldIndex, node: SchemaNode, def: SchemaDefinition, value: unknown, ctx: Context): string | undefined {
  switch (def.type) {
    case undefined:
    case 'any':
      return undefined;
    case 'object':
      if (!isRecord(value)) return mismatch(index, node, value, ctx);
      return node.ref === undefined ? undefined : walkStruct(index, node.ref, def, value, ctx);
    case 'map': {
      if (!isRecord(value)) return mismatch(index, node, value, ctx);
      const values = def.additionalProperties;
      if (values === undefined) return undefined;
      for (const key in value) {
        const err = check(index, values, value[key], ctx);
        if (err !== undefined) return err;
      }
      return undefined;
    }
    case 'array': {
      if (!Array.isArray(value)) return mismatch(index, node, value, ctx);
      const items = def.items;
      if (items === undefined) return undefined;
      for (const item of value) {
        const err = check(index, items, item, ctx);
        if (err !== undefined) return err;
      }
      return undefined;
    }
    case 'string':
      return typeof value === 'string' ? undefined : mismatch(index, node, value, ctx);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : mismatch(index, node, value, ctx);
    case 'number':
      return typeof value === 'number' ? undefined : mismatch(index, node, value, ctx);
    case 'integer':
      if (typeof value !== 'number') return mismatch(index, node, value, ctx);
      return fitsInteger(value, def.format ?? node.format) ? undefined : mismatch(index, node, value, ctx);
    case 'int-or-string':
      if (typeof value === 'string') return undefined;
      if (typeof value === 'number' && fitsInteger(value, 'int32')) return undefined;
      return `json: cannot unmarshal ${valueKind(value)} into Go value of type int32`;
    case 'quantity':
      return typeof value === 'string' || typeof value === 'number' ? quantityError(value) : ERR_FORMAT_WRONG;
    case 'date-time':
      if (typeof value !== 'string') return `json: cannot unmarshal ${valueKind(value)} into Go value of type string`;
      // MicroTime (events' eventTime, Leases' times) parses another layout: not checked here.
      return node.ref === TIME ? rfc3339ParseError(value) : undefined;
    default:
      return undefined;
  }
}

/**
 * `check` without its descent, for the schema walk that finds unknown fields in the same pass
 * (src/schema/unknown-fields.ts decodeFields): a value's own type only; the walk enters structs,
 * maps and lists as `check` does and keeps the struct and field names the messages need.
 */
export function decodeCheck(index: FieldIndex): DecodeCheck {
  return (node, def, value, at) => {
    switch (def.type) {
      case 'object':
      case 'map':
        return isRecord(value) ? undefined : mismatch(index, node, value, at);
      case 'array':
        return Array.isArray(value) ? undefined : mismatch(index, node, value, at);
      case undefined:
      case 'any':
        return undefined;
      default:
        return checkAs(index, node, def, value, at);
    }
  };
}

/**
 * What a quantity's text must look like (QUANTITY_REGEX with one point at most, and no digit
 * needed: ParseQuantity takes "+", "k" and "e3" as zero): failing it, it fails to parse, and no
 * parse (and no error thrown) is needed to know. An IP address or a version begins as a quantity would.
 */
const QUANTITY_SHAPE = /^[+-]?[0-9]*\.?[0-9]*[eEinumkKMGTP]*[-+]?[0-9]*$/;

/** Digits alone (a resourceVersion, a port as text): always a quantity, and not worth a parse (or a place in its memo). */
const DIGITS = /^[0-9]+$/;

/** Whether a JSON string decodes as a Quantity (see quantityError). */
export function decodesAsQuantity(value: string): boolean {
  if (DIGITS.test(value)) return true;
  return QUANTITY_SHAPE.test(quantityText(value)) && quantityError(value) === undefined;
}

/** Quantity.UnmarshalJSON's error for a JSON string or number (ParseQuantity's: format, suffix, numeric part). */
function quantityError(value: string | number): string | undefined {
  return Quantity.errorOf(quantityText(value));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fitsInteger(value: number, format: string | undefined): boolean {
  if (!Number.isInteger(value)) return false;
  if (format === 'int32') return value >= -2147483648 && value <= 2147483647;
  return Number.isSafeInteger(value);
}

/** encoding/json's name for a JSON value's kind (`number 1.5` for a number that is no fitting integer). */
function valueKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'object':
      return 'object';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      return 'number';
  }
}

function mismatch(index: FieldIndex, node: SchemaNode, value: unknown, ctx: Context): string {
  let kind = valueKind(value);
  const def = index.deref(node);
  if (kind === 'number' && def.type === 'integer' && typeof value === 'number') kind = `number ${String(value)}`;
  const field = ctx.fields.join('.');
  const target = ctx.struct === '' ? 'Go value' : `Go struct field ${ctx.struct.slice(ctx.struct.lastIndexOf('.') + 1)}.${field}`;
  return `json: cannot unmarshal ${kind} into ${target} of type ${goType(index, node)}`;
}

/** reflect.Type.String() of the Go type a schema node decodes into: `[]v1.Container`, `map[string]string`. */
export function goType(index: FieldIndex, node: SchemaNode): string {
  const def = index.deref(node);
  switch (def.type) {
    case 'array':
      return `[]${def.items ? goType(index, def.items) : 'interface {}'}`;
    case 'map':
      // Maps of quantities are all the named v1.ResourceList (limits, requests, capacity, hard, overhead).
      if (def.additionalProperties && index.deref(def.additionalProperties).type === 'quantity') return 'v1.ResourceList';
      return `map[string]${def.additionalProperties ? goType(index, def.additionalProperties) : 'interface {}'}`;
    case 'string':
      return (node.format ?? def.format) === 'byte' ? '[]uint8' : 'string';
    case 'boolean':
      return 'bool';
    case 'integer':
      return def.format ?? node.format ?? 'int64';
    case 'number':
      return 'float64';
    case 'int-or-string':
      return 'intstr.IntOrString';
    case 'quantity':
      return 'resource.Quantity';
    case 'date-time':
      return 'v1.Time';
    default: {
      const ref = node.ref;
      if (ref === undefined) return 'interface {}';
      const parts = ref.split('.');
      return parts.length >= 2 ? `${parts[parts.length - 2]}.${parts[parts.length - 1]}` : ref;
    }
  }
}
