/**
 * fieldValidation (Strict, Warn, Ignore; Warn when absent, as kube-apiserver 1.32 defaults):
 * unknown fields in a create, update or patch are a 400 under Strict, a `299` Warning each under
 * Warn, and nothing under Ignore. Under Warn and Ignore they are dropped before storing, since a
 * real API server's decoder never keeps them.
 */
import { badRequest } from '../api/errors';
import type { KubeObject } from '../api/types';
import type { ResourceDefinition } from './registry/resource';
import { unknownFields } from './schema';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`);
}

/**
 * Checks `object` (the decoded body, or a patch's result) and returns the warnings to send.
 * Throws the Strict 400; prunes unknown fields otherwise.
 */
export function validateFields(def: ResourceDefinition, object: KubeObject, mode: FieldValidation): string[] {
  if (mode === 'Ignore') {
    for (const path of unknownFields(def, object)) prune(object, path);
    return [];
  }
  const unknown = unknownFields(def, object);
  if (unknown.length === 0) return [];
  if (mode === 'Strict') {
    const kind = def.kind;
    const version = def.group ? `${def.group}/${def.version}` : def.version;
    throw badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${unknown.map((p) => `unknown field "${p}"`).join(', ')}`);
  }
  for (const path of unknown) prune(object, path);
  return unknown.map((p) => `unknown field "${p}"`);
}

/** Splits `spec.containers[0].foo` into ['spec', 'containers', 0, 'foo']. */
function segments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** Deletes the field at `path`; map keys with dots are tried joined when a plain walk misses. */
function prune(object: unknown, path: string): void {
  const segs = segments(path);
  let node: unknown = object;
  for (let i = 0; i < segs.length; i++) {
    if (node === null || typeof node !== 'object') return;
    const rec = node as Record<string | number, unknown>;
    let seg = segs[i]!;
    // A map key containing dots was split: join segments until the key exists.
    let j = i;
    while (typeof seg === 'string' && !(seg in rec) && j + 1 < segs.length && typeof segs[j + 1] === 'string') {
      j++;
      seg = `${seg}.${segs[j] as string}`;
    }
    if (j === segs.length - 1) {
      if (Array.isArray(node) && typeof seg === 'number') return;
      delete rec[seg];
      return;
    }
    i = j;
    node = rec[seg];
  }
}
