/**
 * fieldValidation (Strict, Warn, Ignore; Warn when absent, as kube-apiserver 1.32 defaults):
 * unknown fields in a create, update or patch are a 400 under Strict, a `299` Warning each under
 * Warn, and nothing under Ignore. Under Warn and Ignore they are dropped before storing, since a
 * real API server's decoder never keeps them.
 */
import { badRequest } from '../api/errors';
import type { KubeObject } from '../api/types';
import { removeMember } from '../api/removed-members';
import type { ResourceDefinition } from './registry/resource';
import { findDuplicateFields } from './body';
import { decodedFields } from './schema';
import type { CleanShapes } from './clean-shapes';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`);
}

/**
 * `Pod in version "v1" cannot be handled as a Pod`: how kube-apiserver's decode errors begin
 * (transformDecodeError prints gvk.Version, without the group: `Deployment in version "v1"`).
 */
function decodeErrorPrefix(def: ResourceDefinition): string {
  return `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}`;
}

/**
 * Checks `object` (the decoded body, or a patch's result) and returns the warnings to send.
 * Throws kube-apiserver's decode 400 when a field has a JSON type its Go type cannot take
 * (decode-types.ts; whatever fieldValidation says, since it is a decode error) and the Strict 400;
 * prunes unknown fields otherwise. One schema walk finds both. `rawJson`, the body's text when it
 * was JSON, lets Strict and Warn report duplicate keys, in document order among the unknown fields
 * as sigs.k8s.io/json does. `cleanShapes` (creates): an object alike to one found clean before is
 * clean without the walk, and one found clean is remembered.
 */
export function validateFields(def: ResourceDefinition, object: KubeObject, mode: FieldValidation, rawJson?: string, cleanShapes?: CleanShapes): string[] {
  const { unknown, error } = cleanShapes?.has(def, object) ? CLEAN : decodedFields(def, object);
  if (error !== undefined) throw badRequest(`${decodeErrorPrefix(def)}: ${error}`);
  if (cleanShapes !== undefined && unknown.length === 0 && unknown !== CLEAN.unknown) cleanShapes.add(def, object);
  if (mode === 'Ignore') {
    for (const path of unknown) prune(object, path);
    return [];
  }
  const problems = strictProblems(unknown, rawJson);
  if (problems.length === 0) return [];
  if (mode === 'Strict') throw badRequest(`${decodeErrorPrefix(def)}: strict decoding error: ${problems.join(', ')}`);
  for (const path of unknown) prune(object, path);
  return problems;
}

/** What the walk finds in an object alike to one it found clean (see clean-shapes.ts). */
const CLEAN: { unknown: string[]; error?: string } = { unknown: Object.freeze([]) as unknown as string[] };

/** Unknown fields and duplicate keys, as strict decoding words them. */
function strictProblems(unknown: string[], rawJson: string | undefined): string[] {
  const dups = rawJson === undefined ? undefined : findDuplicateFields(rawJson);
  if (dups === undefined) return unknown.map((p) => `unknown field "${p}"`);
  // A duplicate under (or of) an unknown field is skipped with that field's value.
  const under = (path: string): boolean => unknown.some((u) => path === u || path.startsWith(`${u}.`) || path.startsWith(`${u}[`));
  const entries = [
    ...unknown.map((p) => ({ text: `unknown field "${p}"`, at: dups.firstAt.get(p) ?? Number.MAX_SAFE_INTEGER })),
    ...dups.duplicates.filter((d) => !under(d.path)).map((d) => ({ text: `duplicate field "${d.path}"`, at: d.at })),
  ];
  entries.sort((a, b) => a.at - b.at);
  return entries.map((e) => e.text);
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
    // An empty key (`{"": …}`) is a segment too, unless the part is only list indices.
    if (m[1] || !m[2]) out.push(m[1]!);
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
      removeMember(rec, String(seg));
      return;
    }
    i = j;
    node = rec[seg];
  }
}
