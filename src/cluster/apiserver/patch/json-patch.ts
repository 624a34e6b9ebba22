/**
 * JSON Patch (RFC 6902) as kube-apiserver 1.32 applies it: through gopkg.in/evanphx/json-patch.v4,
 * whose behaviour differs from the RFC in places clients can observe, and which we keep:
 *
 * - `replace` of a missing object member adds it (only array indexes are checked);
 * - negative array indexes count from the end (`/a/-1` is the last element);
 * - `test` treats a missing member and an explicit null alike;
 * - `copy` from a missing object member copies null;
 * - a path without the leading `/` ignores its first segment.
 *
 * Failures are JsonPatchError with evanphx's exact text (e.g. `testing value /spec/x failed: test
 * failed`). kube-apiserver does not show that text to clients: it answers 422 Invalid with the generic
 * "the server rejected our request due to an error in our request" (see index.ts); the text is kept
 * for logs and tests.
 */
import { clone, deepEqual, isObject, type JsonObject } from './json-value';

export class JsonPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';
const TEST_FAILED = 'test failed';

type Container = JsonObject | unknown[];

/** RFC 6901 unescaping, in the RFC's order (`~1` before `~0`). */
export function decodePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Go's strconv.Atoi: an optional sign and decimal digits, nothing else. */
function atoi(key: string): number {
  if (!/^[+-]?[0-9]+$/.test(key)) throw new JsonPatchError(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  return Number.parseInt(key, 10);
}

function invalidIndex(idx: number): JsonPatchError {
  return new JsonPatchError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
}

function get(c: Container, key: string): unknown {
  if (!Array.isArray(c)) return c[key];
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -c.length) throw invalidIndex(idx);
    idx += c.length;
  }
  if (idx >= c.length) throw invalidIndex(idx);
  return c[idx];
}

function set(c: Container, key: string, value: unknown): void {
  if (!Array.isArray(c)) {
    c[key] = value;
    return;
  }
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -c.length) throw invalidIndex(idx);
    idx += c.length;
  }
  c[idx] = value;
}

function add(c: Container, key: string, value: unknown): void {
  if (!Array.isArray(c)) {
    c[key] = value;
    return;
  }
  if (key === '-') {
    c.push(value);
    return;
  }
  let idx: number;
  try {
    idx = atoi(key);
  } catch (err) {
    throw new JsonPatchError(`value was not a proper array index: '${key}': ${(err as Error).message}`);
  }
  const size = c.length + 1;
  if (idx >= size) throw invalidIndex(idx);
  if (idx < 0) {
    if (idx < -size) throw invalidIndex(idx);
    idx += size;
  }
  c.splice(idx, 0, value);
}

function remove(c: Container, key: string): void {
  if (!Array.isArray(c)) {
    if (!Object.prototype.hasOwnProperty.call(c, key)) throw new JsonPatchError(`Unable to remove nonexistent key: ${key}: ${MISSING}`);
    delete c[key];
    return;
  }
  let idx = atoi(key);
  if (idx >= c.length) throw invalidIndex(idx);
  if (idx < 0) {
    if (idx < -c.length) throw invalidIndex(idx);
    idx += c.length;
  }
  c.splice(idx, 1);
}

/** The container holding the target of `path` and the target's key in it, or undefined. */
function findContainer(doc: { root: Container }, path: string): { container: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let container: Container = doc.root;
  for (const part of split.slice(1, -1)) {
    let next: unknown;
    try {
      next = get(container, decodePointerToken(part));
    } catch {
      return undefined;
    }
    if (!isObject(next) && !Array.isArray(next)) return undefined;
    container = next;
  }
  return { container, key: decodePointerToken(split[split.length - 1]!) };
}

function wrap(prefix: string, err: unknown): JsonPatchError {
  return new JsonPatchError(`${prefix}: ${(err as Error).message}`);
}

function stringField(op: JsonObject, name: 'path' | 'from'): string | undefined {
  const v = op[name];
  return typeof v === 'string' ? v : undefined;
}

function applyOperation(doc: { root: Container }, op: JsonObject): void {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  const path = stringField(op, 'path');
  const from = stringField(op, 'from');
  const value = op.value === undefined ? null : clone(op.value);
  const missingPath = `operation missing path field: ${MISSING}`;
  const missingFrom = `operation, missing from field: ${MISSING}`;
  switch (kind) {
    case 'add': {
      if (path === undefined) throw new JsonPatchError(`add operation failed to decode path: ${MISSING}`);
      const t = findContainer(doc, path);
      if (!t) throw new JsonPatchError(`add operation does not apply: doc is missing path: "${path}": ${MISSING}`);
      try {
        add(t.container, t.key, value);
      } catch (err) {
        throw wrap(`error in add for path: '${path}'`, err);
      }
      return;
    }
    case 'remove': {
      if (path === undefined) throw new JsonPatchError(`remove operation failed to decode path: ${MISSING}`);
      const t = findContainer(doc, path);
      if (!t) throw new JsonPatchError(`remove operation does not apply: doc is missing path: "${path}": ${MISSING}`);
      try {
        remove(t.container, t.key);
      } catch (err) {
        throw wrap(`error in remove for path: '${path}'`, err);
      }
      return;
    }
    case 'replace': {
      if (path === undefined) throw new JsonPatchError(`replace operation failed to decode path: ${missingPath}`);
      if (path === '') {
        // evanphx wraps a nil error here, which is no error at all: a scalar root value is ignored.
        if (isObject(value) || Array.isArray(value)) doc.root = value;
        return;
      }
      const t = findContainer(doc, path);
      if (!t) throw new JsonPatchError(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
      try {
        get(t.container, t.key);
      } catch {
        throw new JsonPatchError(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`);
      }
      try {
        set(t.container, t.key, value);
      } catch (err) {
        throw wrap(`error in remove for path: '${path}'`, err);
      }
      return;
    }
    case 'move': {
      if (from === undefined) throw new JsonPatchError(`move operation failed to decode from: ${missingFrom}`);
      const f = findContainer(doc, from);
      if (!f) throw new JsonPatchError(`move operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
      let moved: unknown;
      try {
        moved = get(f.container, f.key);
        remove(f.container, f.key);
      } catch (err) {
        throw wrap(`error in move for path: '${f.key}'`, err);
      }
      if (path === undefined) throw new JsonPatchError(`move operation failed to decode path: ${missingPath}`);
      const t = findContainer(doc, path);
      if (!t) throw new JsonPatchError(`move operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
      try {
        add(t.container, t.key, moved);
      } catch (err) {
        throw wrap(`error in move for path: '${path}'`, err);
      }
      return;
    }
    case 'test': {
      if (path === undefined) throw new JsonPatchError(`test operation failed to decode path: ${missingPath}`);
      const failed = new JsonPatchError(`testing value ${path} failed: ${TEST_FAILED}`);
      if (path === '') {
        if (!deepEqual(doc.root, value)) throw failed;
        return;
      }
      const t = findContainer(doc, path);
      if (!t) throw new JsonPatchError(`test operation does not apply: is missing path: ${path}: ${MISSING}`);
      let actual: unknown;
      try {
        actual = get(t.container, t.key);
      } catch (err) {
        throw wrap(`error in test for path: '${path}'`, err);
      }
      if (actual === undefined || actual === null) {
        if (value !== null) throw failed;
        return;
      }
      if (!deepEqual(actual, value)) throw failed;
      return;
    }
    case 'copy': {
      if (from === undefined) throw new JsonPatchError(`copy operation failed to decode from: ${missingFrom}`);
      const f = findContainer(doc, from);
      if (!f) throw new JsonPatchError(`copy operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
      let copied: unknown;
      try {
        copied = get(f.container, f.key);
      } catch (err) {
        throw wrap(`error in copy for from: '${from}'`, err);
      }
      if (path === undefined) throw new JsonPatchError(`copy operation failed to decode path: ${MISSING}`);
      const t = findContainer(doc, path);
      if (!t) throw new JsonPatchError(`copy operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
      try {
        add(t.container, t.key, copied === undefined ? null : clone(copied));
      } catch (err) {
        throw wrap('error while adding value during copy', err);
      }
      return;
    }
    default:
      throw new JsonPatchError(`Unexpected kind: ${kind}`);
  }
}

/**
 * Applies the operations in order to a copy of `document` (to `document` itself when the caller
 * owns it: `ownsDocument`; a failed operation then leaves it half patched) and returns it. The
 * operations must already be decoded (an array of objects); index.ts checks that and words
 * decoding errors.
 */
export function applyJsonPatch<T>(document: T, operations: readonly JsonObject[], ownsDocument = false): T {
  const doc = { root: (ownsDocument ? document : clone(document)) as unknown as Container };
  for (const op of operations) applyOperation(doc, op);
  return doc.root as unknown as T;
}
