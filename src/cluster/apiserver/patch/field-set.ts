/**
 * Field paths and sets of them, as sigs.k8s.io/structured-merge-diff defines them and as managedFields
 * carries them in the FieldsV1 format:
 *
 *   f:<name>        a field of a map or struct            (printed `.name`)
 *   k:{"name":"x"}  an item of an associative list, by its keys (printed `[name="x"]`)
 *   v:"x"           an item of a set list, by its value   (printed `[="x"]`)
 *   i:3             an item by index (atomic lists only appear whole, so rarely used)
 *   .               "this path itself", when it also has children in the set
 *
 * Sets iterate (and conflicts are reported) in structured-merge-diff's order: at each level the
 * paths that end there first, then the children, each sorted by path element (fields by name, then
 * keys, then values, then indexes).
 */
import { isObject, type JsonObject } from './json-value';

export type PathElement =
  | { field: string }
  | { key: [string, unknown][] }
  | { value: unknown }
  | { index: number };

export type FieldPath = PathElement[];

function rank(pe: PathElement): number {
  if ('field' in pe) return 0;
  if ('key' in pe) return 1;
  if ('value' in pe) return 2;
  return 3;
}

function typeRank(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  return 4;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'string') return compareStrings(a, b as string);
  return compareStrings(JSON.stringify(a), JSON.stringify(b));
}

export function comparePathElements(a: PathElement, b: PathElement): number {
  const d = rank(a) - rank(b);
  if (d !== 0) return d;
  if ('field' in a) return compareStrings(a.field, (b as { field: string }).field);
  if ('key' in a) {
    const bk = (b as { key: [string, unknown][] }).key;
    for (let i = 0; i < a.key.length && i < bk.length; i++) {
      const c = compareStrings(a.key[i]![0], bk[i]![0]) || compareValues(a.key[i]![1], bk[i]![1]);
      if (c !== 0) return c;
    }
    return a.key.length - bk.length;
  }
  if ('value' in a) return compareValues(a.value, (b as { value: unknown }).value);
  return a.index - (b as { index: number }).index;
}

/** FieldsV1 spelling: `f:name`, `k:{"containerPort":80,"protocol":"TCP"}`, `v:"x"`, `i:0`. */
export function serializePathElement(pe: PathElement): string {
  if ('field' in pe) return `f:${pe.field}`;
  if ('key' in pe) {
    // One key field is the common case (conditions by type, IPs by ip): spelled without a closure per field.
    if (pe.key.length === 1) return `k:{${JSON.stringify(pe.key[0]![0])}:${JSON.stringify(pe.key[0]![1])}}`;
    return `k:{${pe.key.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
  }
  if ('value' in pe) return `v:${JSON.stringify(pe.value)}`;
  return `i:${pe.index}`;
}

export function parsePathElement(s: string): PathElement | undefined {
  const body = s.slice(2);
  switch (s.slice(0, 2)) {
    case 'f:':
      return { field: body };
    case 'k:': {
      const obj = JSON.parse(body) as JsonObject;
      return { key: Object.keys(obj).sort(compareStrings).map((k) => [k, obj[k]] as [string, unknown]) };
    }
    case 'v:':
      return { value: JSON.parse(body) };
    case 'i:':
      return { index: Number.parseInt(body, 10) };
    default:
      return undefined; // structured-merge-diff drops element kinds it does not know
  }
}

/**
 * A key's or a set item's value as structured-merge-diff's value.ToString prints it: strings
 * Go-quoted (%q), integers plain, other numbers as Go's %v prints a float64, lists `[a,b]`, maps
 * `k=v` pairs run together (in key order here; Go's map order is random), null `null`. Never the
 * value's own toString: a JSON object may have a member of that name.
 */
function valueToString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return goQuote(v);
    case 'number':
      return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? BigInt(v).toString() : goFloat(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      break;
  }
  if (Array.isArray(v)) return `[${v.map(valueToString).join(',')}]`;
  const map = v as Record<string, unknown>;
  return Object.keys(map).sort(compareStrings).map((k) => `${k}=${valueToString(map[k])}`).join('');
}

/** Go's %v of a float64 (%g, shortest): `0.5`, `123456.5`; an exponent of two digits at least below 1e-4 and from 1e6 on (`1e-05`, `1.5e+06`). */
function goFloat(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  const [mantissa, exp] = n.toExponential().split('e') as [string, string];
  const e = Number(exp);
  if (e >= -4 && e < 6) return String(n);
  const digits = String(Math.abs(e)).padStart(2, '0');
  return `${mantissa}e${e < 0 ? '-' : '+'}${digits}`;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const GO_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

/** strconv.Quote: printable characters as they are, the rest escaped as Go escapes them. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const escape = GO_ESCAPES[ch];
    if (escape !== undefined) { out += escape; continue; }
    const code = ch.codePointAt(0)!;
    // A lone surrogate: Go's decoder made it U+FFFD, which is printable.
    if (code >= 0xd800 && code <= 0xdfff) out += '\ufffd';
    else if (PRINTABLE.test(ch)) out += ch;
    else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}

/** As conflicts print a path: `.spec.containers[name="nginx"].image`. */
export function pathToString(path: FieldPath): string {
  return path
    .map((pe) => {
      if ('field' in pe) return `.${pe.field}`;
      if ('key' in pe) return `[${pe.key.map(([k, v]) => `${k}=${valueToString(v)}`).join(',')}]`;
      if ('value' in pe) return `[=${valueToString(pe.value)}]`;
      return `[${pe.index}]`;
    })
    .join('');
}

const serialized = new WeakMap<PathElement, string>();

/** A path's key after its parent's (`''` for the root): how FieldSet keys a path, one element at a time. */
export function childKey(parent: string, spelled: string): string {
  return parent === '' ? spelled : parent + '\u0000' + spelled;
}

/** Key and value elements are shared between the paths built from them, so their spelling is computed once. */
function elementKey(pe: PathElement): string {
  // Field names are most elements and cheap to spell; a WeakMap lookup for each would cost more.
  if ('field' in pe) return 'f:' + pe.field;
  let k = serialized.get(pe);
  if (k === undefined) {
    k = serializePathElement(pe);
    serialized.set(pe, k);
  }
  return k;
}

/** Field names and keys never hold NUL, so it separates elements unambiguously. */
function pathKey(path: FieldPath): string {
  let key = '';
  for (let i = 0; i < path.length; i++) key += (i ? '\u0000' : '') + elementKey(path[i]!);
  return key;
}

/** Iteration order: at the first differing level, a path ending there comes before one going deeper. */
function comparePaths(a: FieldPath, b: FieldPath): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const aEnds = i === a.length - 1;
    const bEnds = i === b.length - 1;
    if (aEnds !== bEnds) return aEnds ? -1 : 1;
    const c = comparePathElements(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

export class FieldSet {
  private readonly paths = new Map<string, FieldPath>();

  constructor(paths: Iterable<FieldPath> = []) {
    for (const p of paths) this.insert(p);
  }

  insert(path: FieldPath): void {
    this.paths.set(pathKey(path), path);
    this.firsts = undefined;
  }

  /**
   * insert() for a caller that spelled the path's key as it went (a walk adding one element per
   * level): `key` must be pathKey(path), the elements' spellings (elementSpelling) joined by NUL.
   */
  insertSpelled(key: string, path: FieldPath): void {
    this.paths.set(key, path);
    this.firsts = undefined;
  }

  has(path: FieldPath): boolean {
    return this.paths.has(pathKey(path));
  }

  get size(): number {
    return this.paths.size;
  }

  empty(): boolean {
    return this.paths.size === 0;
  }

  /** A set over entries already keyed (their keys are not spelled again). */
  private static keyed(entries: Iterable<[string, FieldPath]>): FieldSet {
    const set = new FieldSet();
    for (const [k, p] of entries) set.paths.set(k, p);
    return set;
  }

  union(other: FieldSet): FieldSet {
    if (other.paths.size === 0) return FieldSet.keyed(this.paths);
    const out = FieldSet.keyed(this.paths);
    for (const [k, p] of other.paths) out.paths.set(k, p);
    return out;
  }

  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, p] of this.paths) if (!other.paths.has(k)) out.paths.set(k, p);
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, p] of this.paths) if (other.paths.has(k)) out.paths.set(k, p);
    return out;
  }

  /**
   * The first elements of this set's paths, fields by name and other elements by key (see
   * withoutPrefixes), made once: a reset set is reused by every write of a kind (see
   * server-side-apply.ts), and this is its only use. Dropped when the set changes.
   */
  private firsts: { fields: Set<string>; others: Set<string> } | undefined;

  private firstElements(): { fields: Set<string>; others: Set<string> } {
    if (this.firsts !== undefined) return this.firsts;
    const fields = new Set<string>();
    const others = new Set<string>();
    for (const p of this.paths.values()) {
      const first = p[0];
      if (first === undefined) continue;
      if ('field' in first) fields.add(first.field);
      else others.add(elementKey(first));
    }
    return (this.firsts = { fields, others });
  }

  /**
   * Drops every path equal to or below one of `prefixes` (RecursiveDifference). The set itself
   * when nothing is dropped (sets are not changed once made, but by their maker): the changes of
   * a status write are compared without its reset spec already, so none of theirs is.
   */
  withoutPrefixes(prefixes: FieldSet): FieldSet {
    if (prefixes.empty() || this.paths.size === 0) return this;
    // Most paths share no first element with any prefix (a status write's, with `spec` and two
    // metadata fields reset): those are kept without spelling their prefixes.
    const { fields: firstFields, others: firstOthers } = prefixes.firstElements();
    let out: FieldSet | undefined;
    let kept = 0;
    for (const [k, p] of this.paths) {
      const first = p[0];
      let dropped = false;
      if (first !== undefined && ('field' in first ? firstFields.has(first.field) : firstOthers.has(elementKey(first)))) {
        let prefix = '';
        for (let i = 0; i < p.length && !dropped; i++) {
          prefix += (i ? '\u0000' : '') + elementKey(p[i]!);
          dropped = prefixes.paths.has(prefix);
        }
      }
      if (dropped) {
        // The first path dropped: the ones kept before it go into a new set.
        if (out === undefined) {
          out = new FieldSet();
          let i = 0;
          for (const [k2, p2] of this.paths) {
            if (i++ >= kept) break;
            out.paths.set(k2, p2);
          }
        }
        continue;
      }
      kept++;
      out?.paths.set(k, p);
    }
    return out ?? this;
  }

  /** Adds every prefix that ends in a field name (EnsureNamedFieldsAreMembers). */
  withNamedParents(): FieldSet {
    const out = new FieldSet(this.paths.values());
    for (const p of this.paths.values()) {
      for (let i = 1; i < p.length; i++) if ('field' in p[i - 1]!) out.insert(p.slice(0, i));
    }
    return out;
  }

  /**
   * A text equal for two sets exactly when they hold the same paths (a cache key): the sorted path
   * keys, each preceded by its length, after their count (so the text ends where the set does).
   */
  signature(): string {
    if (this.paths.size === 0) return '0';
    const keys = [...this.paths.keys()].sort();
    let out = `${keys.length}`;
    for (const k of keys) out += `|${k.length}:${k}`;
    return out;
  }

  /**
   * The paths with their keys (pathKey: elements spelled as FieldsV1 spells them, joined by NUL),
   * in the order they were inserted.
   */
  entries(): IterableIterator<[string, FieldPath]> {
    return this.paths.entries();
  }

  /** The paths in the order they were inserted, without the pair per path that entries() makes. */
  values(): IterableIterator<FieldPath> {
    return this.paths.values();
  }

  /** The paths' keys (see entries) in the order they were inserted. */
  keys(): IterableIterator<string> {
    return this.paths.keys();
  }

  /** The paths in no particular order (for callers to whom the order makes no difference). */
  members(): FieldPath[] {
    return [...this.paths.values()];
  }

  /** In structured-merge-diff's iteration order. */
  list(): FieldPath[] {
    return [...this.paths.values()].sort(comparePaths);
  }

  equals(other: FieldSet): boolean {
    return this.size === other.size && [...this.paths.keys()].every((k) => other.paths.has(k));
  }

  toFieldsV1(): JsonObject {
    interface Node { member: boolean; pe: PathElement; children: Map<string, Node> }
    const root: Node = { member: false, pe: { field: '' }, children: new Map() };
    for (const path of this.paths.values()) {
      let node = root;
      for (const pe of path) {
        const k = serializePathElement(pe);
        let child = node.children.get(k);
        if (!child) {
          child = { member: false, pe, children: new Map() };
          node.children.set(k, child);
        }
        node = child;
      }
      node.member = true;
    }
    const emit = (node: Node): JsonObject => {
      const out: JsonObject = {};
      if (node.member && node.children.size > 0) out['.'] = {};
      const children = [...node.children.entries()].sort((a, b) => comparePathElements(a[1].pe, b[1].pe));
      for (const [k, child] of children) out[k] = emit(child);
      return out;
    };
    return emit(root);
  }

  static fromFieldsV1(fields: unknown): FieldSet {
    const set = new FieldSet();
    const walk = (obj: JsonObject, prefix: FieldPath): void => {
      for (const [k, v] of Object.entries(obj)) {
        if (k === '.') {
          set.insert(prefix);
          continue;
        }
        const pe = parsePathElement(k);
        if (!pe) continue;
        const path = [...prefix, pe];
        if (!isObject(v) || Object.keys(v).length === 0) set.insert(path);
        else walk(v, path);
      }
    };
    if (isObject(fields)) walk(fields, []);
    return set;
  }
}

export function fieldPath(...names: string[]): FieldPath {
  return names.map((field) => ({ field }));
}
