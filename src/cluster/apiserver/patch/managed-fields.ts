/**
 * metadata.managedFields: who owns which fields (k8s.io/apimachinery managedfields).
 *
 * - A manager is identified by its name, its operation (`Apply` or `Update`), its subresource and,
 *   for `Update` only, the apiVersion it wrote with: `kubectl` applying and `kubectl` updating are
 *   two entries; an applier keeps one entry across versions.
 * - Entries are encoded sorted as kube-apiserver sorts them: Apply before Update, then by time (to the
 *   second), manager, apiVersion and subresource. Entries owning nothing are dropped.
 * - A few fields are never owned by anyone (stripMeta): apiVersion, kind, metadata itself and
 *   metadata.name, namespace, creationTimestamp, selfLink, uid, clusterName, generation,
 *   managedFields and resourceVersion.
 */
import type { ManagedFieldsEntry, StatusCause } from '../../api/types';
import { StatusError } from '../../api/errors';
import { deepEqual, isObject } from './json-value';
import { rfc3339 } from '../registry/codec';
import { FieldSet, fieldPath, pathToString, type FieldPath } from './field-set';

export type ManagedOperation = 'Apply' | 'Update';

export interface ManagerSet {
  manager: string;
  operation: ManagedOperation;
  apiVersion: string;
  subresource?: string;
  time?: string;
  fields: FieldSet;
}

/** Managers by identity (managerIdentity). */
export type Managed = Map<string, ManagerSet>;

export function managerIdentity(m: Pick<ManagerSet, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  // Every write asks for the identities of all its entries, several times: each distinct one is
  // spelled once (EntryTexts).
  return identities.text(m.manager, m.operation, m.operation === 'Update' ? m.apiVersion : undefined, m.subresource || undefined);
}

/**
 * Texts made of a managedFields entry's manager, operation, apiVersion and subresource, each made
 * once and found again by its four parts (by value: a part is any JSON value an entry holds), in
 * nested maps so that no key text is built per look-up. Bounded whatever clients send (entries are
 * client input): past `max` texts the table starts again.
 */
export class EntryTexts {
  private readonly byManager = new Map<unknown, Map<unknown, Map<unknown, Map<unknown, string>>>>();
  private count = 0;

  constructor(
    private readonly spell: (manager: unknown, operation: unknown, apiVersion: unknown, subresource: unknown) => string,
    private readonly max: number,
  ) {}

  text(manager: unknown, operation: unknown, apiVersion: unknown, subresource: unknown): string {
    if (this.count >= this.max) {
      this.byManager.clear();
      this.count = 0;
    }
    let byOperation = this.byManager.get(manager);
    if (byOperation === undefined) this.byManager.set(manager, (byOperation = new Map()));
    let byVersion = byOperation.get(operation);
    if (byVersion === undefined) byOperation.set(operation, (byVersion = new Map()));
    let bySubresource = byVersion.get(apiVersion);
    if (bySubresource === undefined) byVersion.set(apiVersion, (bySubresource = new Map()));
    let text = bySubresource.get(subresource);
    if (text === undefined) {
      bySubresource.set(subresource, (text = this.spell(manager, operation, apiVersion, subresource)));
      this.count++;
    }
    return text;
  }
}

/** Identities, each spelled once (a few short strings); past 1,024 the table starts again. */
const identities = new EntryTexts(spellIdentity, 1024);

/**
 * The JSON text of {manager, operation, apiVersion (Update only), subresource (if any)}, spelled
 * directly (capUpdateManagers orders by this text).
 */
function spellIdentity(manager: unknown, operation: unknown, apiVersion: unknown, subresource: unknown): string {
  let id = member('', 'manager', manager);
  id = member(id, 'operation', operation);
  id = member(id, 'apiVersion', apiVersion);
  id = member(id, 'subresource', subresource);
  return `{${id}}`;
}

/** `members` with `"name":value` added as JSON.stringify writes an object member (undefined adds nothing). */
function member(members: string, name: string, value: unknown): string {
  if (value === undefined) return members;
  return `${members}${members ? ',' : ''}"${name}":${JSON.stringify(value)}`;
}

export const STRIPPED_FIELDS = new FieldSet([
  fieldPath('apiVersion'),
  fieldPath('kind'),
  fieldPath('metadata'),
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => fieldPath('metadata', f)),
]);

/** Reads managedFields; entries that cannot be read are skipped. */
export function decodeManagedFields(entries: unknown): Managed {
  const managed: Managed = new Map();
  if (!Array.isArray(entries)) return managed;
  for (const raw of entries as unknown[]) {
    if (!isObject(raw)) continue;
    const e = raw as ManagedFieldsEntry;
    if (e.operation !== 'Apply' && e.operation !== 'Update') continue;
    const m: ManagerSet = {
      manager: typeof e.manager === 'string' ? e.manager : '',
      operation: e.operation,
      apiVersion: typeof e.apiVersion === 'string' ? e.apiVersion : '',
      fields: FieldSet.fromFieldsV1(e.fieldsV1),
    };
    if (typeof e.subresource === 'string' && e.subresource) m.subresource = e.subresource;
    if (typeof e.time === 'string' && e.time) m.time = e.time;
    managed.set(managerIdentity(m), m);
  }
  return managed;
}

/** `[{}]` is how a client asks to clear managedFields (isResetManagedFields). */
export function isResetManagedFields(entries: unknown): boolean {
  return Array.isArray(entries) && entries.length === 1 && isObject(entries[0]) && Object.keys(entries[0]).length === 0;
}

/** Entry times to the second, parsed once each: sorting one write's entries compares the same few times again and again (a few kept: an object's entries carry a handful of times). */
const parsedTimes = new Map<string, number>();
const MAX_PARSED_TIMES = 64;

function seconds(time: string | undefined): number {
  if (!time) return 0;
  let s = parsedTimes.get(time);
  if (s === undefined) {
    s = Math.floor(Date.parse(time) / 1000);
    if (parsedTimes.size >= MAX_PARSED_TIMES) parsedTimes.clear();
    parsedTimes.set(time, s);
  }
  return s;
}

function less(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The order entries are encoded in (for sets and for entries alike). */
export function compareManagedEntries(p: Omit<ManagerSet, 'fields'>, q: Omit<ManagerSet, 'fields'>): number {
  return (
    less(p.operation, q.operation) ||
    seconds(p.time) - seconds(q.time) ||
    less(p.manager, q.manager) ||
    less(p.apiVersion, q.apiVersion) ||
    less(p.subresource ?? '', q.subresource ?? '')
  );
}

export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] {
  const sets = [...managed.values()].filter((m) => !m.fields.empty());
  sets.sort(compareManagedEntries);
  return sets.map(encodeManagerSet);
}

/** One entry as encodeManagedFields writes it. */
export function encodeManagerSet(m: ManagerSet): ManagedFieldsEntry {
  const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
  if (m.time) e.time = m.time;
  e.fieldsType = 'FieldsV1';
  e.fieldsV1 = m.fields.toFieldsV1();
  if (m.subresource) e.subresource = m.subresource;
  return e;
}

export const MAX_UPDATE_MANAGERS = 10;
const ANCIENT_CHANGES = 'ancient-changes';

/**
 * Keeps at most MAX_UPDATE_MANAGERS Update entries: the oldest are folded, per apiVersion, into an
 * `ancient-changes` entry (capManagersManager), so that objects written by many clients stay small.
 */
export function capUpdateManagers(managed: Managed): void {
  const updaters = [...managed.keys()].filter((id) => managed.get(id)!.operation === 'Update');
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  updaters.sort((a, b) => seconds(managed.get(a)!.time) - seconds(managed.get(b)!.time) || less(a, b));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > MAX_UPDATE_MANAGERS; i++) {
    const id = updaters[i]!;
    const m = managed.get(id)!;
    const bucket: ManagerSet = { manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: m.apiVersion, fields: new FieldSet() };
    const bucketId = managerIdentity(bucket);
    const first = firstOfVersion.get(m.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(m.apiVersion, id);
      continue;
    }
    if (!managed.has(bucketId)) {
      bucket.fields = managed.get(first)!.fields;
      managed.delete(first);
      managed.set(bucketId, bucket);
    }
    const target = managed.get(bucketId)!;
    target.fields = m.fields.union(target.fields);
    if (m.time) target.time = m.time;
    else delete target.time;
    managed.delete(id);
    length--;
  }
}

/** metav1.Time as it is serialized: RFC 3339 in UTC, to the second (formatted once per second: every write stamps it). */
export function formatTime(now: string | number): string {
  return rfc3339(typeof now === 'number' ? now : Date.parse(now));
}

/**
 * kube-apiserver's IgnoreManagedFieldsTimestampsTransformer: when a write changes nothing but
 * managedFields timestamps, the old managedFields are kept, so a no-op write stays a no-op.
 */
export function keepTimestampsIfUnchanged(previous: ManagedFieldsEntry[] | undefined, next: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  if (!previous || previous.length !== next.length) return next;
  const withoutTime = (es: ManagedFieldsEntry[]) => es.map(({ time: _time, ...rest }) => rest);
  return deepEqual(withoutTime(previous), withoutTime(next)) ? previous : next;
}

/** `"kubectl"`, `"kubelet" with subresource "status"`, `"kubectl-client-side-apply" using v1`. */
export function printManager(m: ManagerSet): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') s += ` using ${m.apiVersion}`;
  return s;
}

export interface Conflict {
  manager: ManagerSet;
  path: FieldPath;
}

/** 409 Conflict as kube-apiserver words a server-side apply conflict (NewConflictError). */
export function applyConflictError(conflicts: Conflict[]): StatusError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: pathToString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0]!.manager)}: ${pathToString(conflicts[0]!.path)}`;
  } else {
    const byManager = new Map<string, Conflict[]>();
    for (const c of conflicts) {
      const id = managerIdentity(c.manager);
      byManager.set(id, [...(byManager.get(id) ?? []), c]);
    }
    const lines: string[] = [];
    for (const id of [...byManager.keys()].sort(less)) {
      const group = byManager.get(id)!;
      lines.push(`conflicts with ${printManager(group[0]!.manager)}:`);
      for (const c of group) lines.push(`- ${pathToString(c.path)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'Conflict',
    details: { causes },
    code: 409,
  });
}
