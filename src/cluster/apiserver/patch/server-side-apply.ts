/**
 * Server-side apply and the ownership bookkeeping of every other write, as kube-apiserver's field
 * manager does it (k8s.io/apimachinery managedfields over sigs.k8s.io/structured-merge-diff).
 *
 * apply(): the applied configuration is merged into the live object (or creates it); the applier owns
 * exactly the fields its configuration sets. Fields it owned before and no longer sets are removed
 * from the object unless another manager owns them. Changing a field another manager owns is a
 * conflict (409, FieldManagerConflict causes) unless `force`, which takes the field over. Setting a
 * field to the value it already has is no conflict: ownership is then shared. For the manager
 * `kubectl`, conflicts on fields that kubectl's client-side apply last applied with the same value
 * are forced (kubectl's client-side to server-side migration), and an existing
 * last-applied-configuration annotation is rewritten to the new configuration.
 *
 * recordUpdate(): every create, update and non-apply patch gives its manager the fields it changed
 * (Update operation, with the request's apiVersion and subresource) and takes them from the others.
 * managedFields the client sent are honoured on the main resource (that is how kubectl rewrites
 * them); `[{}]` clears them; an existing object without managedFields is not tracked.
 * kube-apiserver records this after decoding and defaulting but BEFORE mutating admission, so the
 * fields admission adds (the service-account token volume and mount, default tolerations, priority)
 * are owned by no one. Callers must keep that order: if the creator owned them, kubectl's
 * client-side to server-side migration would hand them to `kubectl`, and its next apply would
 * prune them from the pod.
 *
 * Both take the objects as JSON, the cluster clock's `now`, and a MetaLookup; neither touches the
 * store. Fields under `resetFields` (by default `status` for the main resource and `spec` for the
 * status subresource, as the registry strategies reset them) are never owned by the writer.
 * Not modelled: conversion between versions, unions.
 */
import { badRequest, StatusError } from '../../api/errors';
import type { KubeObject, ManagedFieldsEntry } from '../../api/types';
import { clone, deepEqual, isObject, setMember, type JsonObject } from './json-value';
import type { MetaLookup } from './patch-meta';
import { FieldSet, fieldPath, type FieldPath } from './field-set';
import { TypedWalker, dropNulls, type SkippedFields } from './typed-value';
import { ownedUpdate } from './managed-fields-owned';
import { splitUntouched } from './managed-fields-kept';
import { recall, recentKey, remember } from './managed-fields-recent';
import { createdFieldsV1 } from './managed-fields-created';
import {
  STRIPPED_FIELDS,
  applyConflictError,
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  encodeManagerSet,
  formatTime,
  isResetManagedFields,
  keepTimestampsIfUnchanged,
  managerIdentity,
  type Conflict,
  type Managed,
  type ManagerSet,
} from './managed-fields';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
const BEFORE_FIRST_APPLY = 'before-first-apply';

export interface ApplyOptions {
  /** The stored object; undefined when the apply creates it. */
  live?: KubeObject | JsonObject;
  /** The applied configuration (the decoded body). */
  config: JsonObject;
  /** The fieldManager query parameter (required for apply; the handler checks it). */
  manager: string;
  force: boolean;
  /** The resource's group/version: `v1`, `apps/v1`. */
  apiVersion: string;
  /** The resource's kind: `Pod`. */
  kind: string;
  subresource?: string;
  /** The cluster clock (epoch ms or an RFC 3339 string). */
  now: number | string;
  meta: MetaLookup;
  resetFields?: FieldPath[];
}

export interface PatchResult {
  /** The new object, metadata.managedFields included. */
  object: JsonObject;
  managedFields: ManagedFieldsEntry[];
  /** False when the result is exactly the live object, managedFields included: nothing to write. */
  changed: boolean;
}

export interface RecordUpdateOptions {
  /** The stored object; undefined on create. */
  old?: KubeObject | JsonObject;
  /** The object about to be stored (after defaulting and the strategy). */
  updated: KubeObject | JsonObject;
  manager: string;
  operation?: 'Update';
  subresource?: string;
  apiVersion: string;
  now: number | string;
  meta: MetaLookup;
  resetFields?: FieldPath[];
}

/**
 * What the registry strategies reset, so no writer owns it (GetResetFields): the status on the main
 * resource; the spec on the status subresource, and for a Pod also its deletionTimestamp and
 * ownerReferences.
 */
export function defaultResetFields(subresource: string | undefined, kind?: string): FieldPath[] {
  if (!subresource) return [fieldPath('status')];
  if (subresource !== 'status') return [];
  if (kind === 'Pod') return [fieldPath('spec'), fieldPath('metadata', 'deletionTimestamp'), fieldPath('metadata', 'ownerReferences')];
  return [fieldPath('spec')];
}

/**
 * The reset fields of each subresource and kind as a FieldSet, made once: FieldSets are not changed
 * once made, and every status write of a kind resets the same fields.
 */
const defaultResets = new Map<string, FieldSet>();

function defaultResetSet(subresource: string | undefined, kind: string | undefined): FieldSet {
  const key = `${subresource ?? ''}\n${kind ?? ''}`;
  let set = defaultResets.get(key);
  if (set === undefined) {
    if (defaultResets.size >= 256) defaultResets.clear();
    defaultResets.set(key, (set = new FieldSet(defaultResetFields(subresource, kind))));
  }
  return set;
}

/** A shallow view of `obj` without metadata.managedFields (the walks below never modify it). */
function withoutManagedFields(obj: JsonObject | undefined): JsonObject {
  const view: JsonObject = { ...(obj ?? {}) };
  const meta = view.metadata;
  if (isObject(meta) && Object.prototype.hasOwnProperty.call(meta, 'managedFields')) view.metadata = withoutField(meta, 'managedFields');
  return view;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}

/**
 * The zero value a create is compared with, as Go's empty typed object converts to JSON: top-level
 * structs exist (and, for an Event, its non-pointer `source`), and so do fields serialized without
 * omitempty (a Pod's `spec.containers: null`). A field present in the zero value is not "added", so
 * it gets no `.` entry: `f:spec` never has one, `f:metadata.f:labels` does.
 *
 * A null equal on both sides is no change (structured-merge-diff compares null as a value), and
 * the nulls of a stored object are Go's encoding of zero values: an unset metav1.Time or MicroTime
 * (an Event's `eventTime`, a pod template's `metadata.creationTimestamp`), which the empty object
 * holds too wherever it is reached through structs alone. So the object's nulls reached through
 * maps alone, and the maps on their way, are in the zero value (nothing owns them on create); a
 * null inside a list item is added with its item (a pod condition's `lastProbeTime: null` is owned).
 * A null under a pointer struct, which Go's empty object leaves out, is taken as zero too: none of
 * the built-in kinds stores one there.
 */
const POD_TEMPLATE: JsonObject = { metadata: { creationTimestamp: null }, spec: { containers: null } };
const ZERO_FIELDS: Record<string, JsonObject> = {
  Pod: { spec: { containers: null } },
  Event: { source: {}, deprecatedSource: {} },
  // Workloads: the pod template (and a Deployment's strategy, the update strategies) are structs,
  // not pointers, so `f:template`, its `f:metadata`, `f:spec` and `f:containers` have no `.`.
  PodTemplate: { template: POD_TEMPLATE },
  Deployment: { spec: { strategy: {}, template: POD_TEMPLATE } },
  ReplicaSet: { spec: { template: POD_TEMPLATE } },
  StatefulSet: { spec: { updateStrategy: {}, template: POD_TEMPLATE } },
  DaemonSet: { spec: { updateStrategy: {}, template: POD_TEMPLATE } },
  Job: { spec: { template: POD_TEMPLATE } },
  CronJob: { spec: { jobTemplate: { metadata: { creationTimestamp: null }, spec: { template: POD_TEMPLATE } } } },
};

function emptyLike(obj: JsonObject): JsonObject {
  const out: JsonObject = { metadata: {} };
  for (const k of ['spec', 'status']) if (isObject(obj[k])) out[k] = {};
  const zero = typeof obj.kind === 'string' ? ZERO_FIELDS[obj.kind] : undefined;
  for (const [k, v] of Object.entries(zero ?? {})) {
    if (!(k in obj)) continue;
    out[k] = isObject(out[k]) && isObject(v) ? { ...(out[k] as JsonObject), ...clone(v) } : clone(v);
  }
  addNulls(obj, out);
  return out;
}

/**
 * Sets in `zero` the nulls `obj` holds through maps alone, with the maps on their way (see
 * emptyLike); a map is added to `zero` only when a null was found under it. True when any was.
 */
function addNulls(obj: JsonObject, zero: JsonObject): boolean {
  let found = false;
  for (const k in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, k)) continue;
    const v = obj[k];
    if (v === null) {
      zero[k] = null;
      found = true;
    } else if (isObject(v)) {
      const inner = isObject(zero[k]) ? (zero[k] as JsonObject) : {};
      if (addNulls(v, inner)) {
        zero[k] = inner;
        found = true;
      }
    }
  }
  return found;
}

interface Changes {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

function diff(walker: TypedWalker, before: JsonObject, after: JsonObject, reset: FieldSet): Changes {
  // Reset fields (a status write's spec, a pod's metadata.ownerReferences) are not walked: every
  // change under them would be dropped anyway. Reset paths the walk cannot leave out are dropped
  // from its answer instead.
  const skipped = skippedFields(reset);
  if (skipped !== undefined) return walker.compare(before, after, skipped);
  let l = before;
  let r = after;
  for (const path of reset.members()) {
    if (path.length !== 1 || !('field' in path[0]!)) continue;
    const name = path[0].field;
    if (name in l) l = withoutField(l, name);
    if (name in r) r = withoutField(r, name);
  }
  const c = walker.compare(l, r);
  return { added: c.added.withoutPrefixes(reset), modified: c.modified.withoutPrefixes(reset), removed: c.removed.withoutPrefixes(reset) };
}

/**
 * diff of an update's stored and new objects as they are, metadata.managedFields left out by the
 * comparison (as it leaves out the reset fields) rather than by copies of both objects and their
 * metadata without it; undefined when the reset fields are not ones it can leave out.
 */
function diffOfUpdate(walker: TypedWalker, before: JsonObject, after: JsonObject, reset: FieldSet): Changes | undefined {
  const skipped = skippedFields(reset, true);
  return skipped === undefined ? undefined : walker.compare(before, after, skipped);
}

/**
 * The reset set as fields compare leaves out, when it holds only paths of one or two fields (made
 * once per set: reset sets are shared); `managedFields`: metadata.managedFields left out too.
 */
function skippedFields(reset: FieldSet, managedFields = false): SkippedFields | undefined {
  if (managedFields) {
    let withManaged = skippedWithManaged.get(reset);
    if (withManaged === undefined) {
      const plain = skippedFields(reset);
      withManaged = plain === undefined ? null : { top: plain.top, under: new Map([...plain.under, ['metadata', new Set([...(plain.under.get('metadata') ?? []), 'managedFields'])]]) };
      skippedWithManaged.set(reset, withManaged);
    }
    return withManaged ?? undefined;
  }
  let skipped = skippedByReset.get(reset);
  if (skipped === undefined) {
    const top = new Set<string>();
    const under = new Map<string, Set<string>>();
    skipped = { top, under };
    for (const path of reset.members()) {
      const [first, second] = path;
      if (first === undefined || path.length > 2 || !('field' in first) || (second !== undefined && !('field' in second))) {
        skipped = null;
        break;
      }
      if (second === undefined) top.add(first.field);
      else {
        let names = under.get(first.field);
        if (names === undefined) under.set(first.field, (names = new Set()));
        names.add(second.field);
      }
    }
    skippedByReset.set(reset, skipped);
  }
  return skipped ?? undefined;
}

const skippedByReset = new WeakMap<FieldSet, SkippedFields | null>();
const skippedWithManaged = new WeakMap<FieldSet, SkippedFields | null>();

/**
 * A shallow copy of `obj` without its member `name`, members in order. Copied one by one: a rest
 * pattern leaving one out (`{ [name]: _, ...rest }`) was several times slower.
 */
function withoutField(obj: JsonObject, name: string): JsonObject {
  const rest: JsonObject = {};
  for (const k of Object.keys(obj)) {
    if (k !== name) setMember(rest, k, obj[k]);
  }
  return rest;
}

/** Takes changed fields from every manager but `self` (conflicts are returned, not applied) and drops removed ones. */
function shareOut(managed: Managed, changes: Changes, self: string | undefined): Conflict[] {
  const conflicts: Conflict[] = [];
  const changed = changes.modified.union(changes.added);
  for (const [id, m] of managed) {
    if (id === self) continue;
    for (const path of m.fields.intersection(changed).list()) conflicts.push({ manager: m, path });
    m.fields = m.fields.difference(changes.removed);
  }
  return conflicts;
}

function dropEmpty(managed: Managed): void {
  for (const [id, m] of managed) if (m.fields.empty()) managed.delete(id);
}

/** The Update bookkeeping shared by recordUpdate and the before-first-apply step. */
function updateManaged(walker: TypedWalker, managed: Managed, before: JsonObject, after: JsonObject, who: Omit<ManagerSet, 'fields'>, reset: FieldSet, diffed?: Changes): void {
  const changes = diffed ?? diff(walker, before, after, reset);
  for (const c of shareOut(managed, changes, undefined)) c.manager.fields = c.manager.fields.difference(new FieldSet([c.path]));
  const owned = changes.modified.union(changes.added).difference(STRIPPED_FIELDS);
  if (!owned.empty()) {
    const id = managerIdentity(who);
    const previous = managed.get(id);
    managed.set(id, { ...who, fields: previous ? previous.fields.union(owned) : owned });
  }
  dropEmpty(managed);
}

const STRIPPED_PATHS = STRIPPED_FIELDS.list();

/** The one entry of a create, as encodeManagedFields writes it. */
function createdEntry(who: Omit<ManagerSet, 'fields'>, fieldsV1: JsonObject): ManagedFieldsEntry {
  const e: ManagedFieldsEntry = { manager: who.manager, operation: who.operation, apiVersion: who.apiVersion };
  if (who.time) e.time = who.time;
  e.fieldsType = 'FieldsV1';
  e.fieldsV1 = fieldsV1;
  if (who.subresource) e.subresource = who.subresource;
  return e;
}

export function recordUpdate(opts: RecordUpdateOptions): ManagedFieldsEntry[] {
  const walker = new TypedWalker(opts.meta);
  const updated = opts.updated as JsonObject;
  const old = opts.old as JsonObject | undefined;
  const sentFields = (updated.metadata as JsonObject | undefined)?.managedFields;
  const oldFields = (old?.metadata as JsonObject | undefined)?.managedFields as ManagedFieldsEntry[] | undefined;
  // The objects without managedFields, made when a walk needs them: the comparison of an update
  // leaves metadata.managedFields out by itself (diffOfUpdate).
  let views: { before: JsonObject; after: JsonObject } | undefined;
  const viewed = () => (views ??= { before: old ? withoutManagedFields(old) : emptyLike(updated), after: withoutManagedFields(updated) });
  const reset = opts.resetFields ? new FieldSet(opts.resetFields) : defaultResetSet(opts.subresource, typeof updated.kind === 'string' ? updated.kind : undefined);
  const who: Omit<ManagerSet, 'fields' | 'operation'> & { operation: 'Update'; time: string } = { manager: opts.manager, operation: 'Update', apiVersion: opts.apiVersion, time: formatTime(opts.now) };
  if (opts.subresource) who.subresource = opts.subresource;
  // The stored entries are in force when the client sent none, or sent them back unchanged.
  const sentNone = !Array.isArray(sentFields) || sentFields.length === 0;
  let changes: Changes | undefined;
  if (!old && (sentNone || isResetManagedFields(sentFields))) {
    const { before, after } = viewed();
    const fieldsV1 = createdFieldsV1(walker, before, after, reset.list(), STRIPPED_PATHS);
    if (fieldsV1) return Object.keys(fieldsV1).length === 0 ? [] : [createdEntry(who, fieldsV1)];
  }
  if (old && oldFields && (opts.subresource || sentNone || deepEqual(sentFields, oldFields))) {
    changes = diffOfUpdate(walker, old, updated, reset) ?? diff(walker, viewed().before, viewed().after, reset);
    // Sets of paths to look up, unsorted. The added ones first: a path that was not there is rarely
    // owned by the writer alone, so a write adding fields (the kubelet's terminal status gains
    // conditions' reasons) is declined at its first path instead of after all it modified.
    const changed = [...changes.added.members(), ...changes.modified.members()];
    const owned = ownedUpdate({ entries: oldFields, changed, removed: changes.removed.size, who });
    if (owned) return owned;
    const split = splitUntouched(oldFields, [changes.modified, changes.added, changes.removed], who);
    if (split) {
      // The general path below over the touched entries only; the others are kept as stored.
      const key = recentKey(split.touched, who, changes);
      let encoded = recall(key, split.touched, who);
      if (!encoded) {
        const managed = decodeManagedFields(split.touched);
        const decoded = new Map(managed);
        updateManaged(walker, managed, viewed().before, viewed().after, who, reset, changes);
        encoded = new Map<string, ManagedFieldsEntry>();
        for (const [id, m] of managed) if (!m.fields.empty()) encoded.set(id, encodeManagerSet(m));
        remember(key, decoded, managed, encoded);
      }
      const entries = split.assemble(encoded);
      // A write that changed a field changed the object; only one that did not needs the full comparison.
      return !changedAny(changes) && deepEqual(viewed().before, viewed().after) ? keepTimestampsIfUnchanged(oldFields, entries) : entries;
    }
  }

  let managed: Managed;
  if (opts.subresource) managed = decodeManagedFields(oldFields);
  else if (isResetManagedFields(sentFields)) managed = new Map();
  else {
    managed = decodeManagedFields(sentFields);
    if (managed.size === 0) managed = decodeManagedFields(oldFields);
  }
  if (old && managed.size === 0) return [];
  const { before, after } = viewed();
  updateManaged(walker, managed, before, after, who, reset, changes);
  capUpdateManagers(managed);
  const encoded = encodeManagedFields(managed);
  return !(changes && changedAny(changes)) && deepEqual(before, after) ? keepTimestampsIfUnchanged(oldFields, encoded) : encoded;
}

/** Whether the comparison found any difference (then before and after are not equal). */
function changedAny(changes: Changes): boolean {
  return changes.added.size > 0 || changes.modified.size > 0 || changes.removed.size > 0;
}

/** The fields kubectl's last client-side apply set and that still hold the values it set. */
function allowedFromLastApplied(walker: TypedWalker, live: JsonObject, apiVersion: string): FieldSet | undefined {
  const annotations = (live.metadata as JsonObject | undefined)?.annotations as Record<string, string> | undefined;
  const text = annotations?.[LAST_APPLIED_ANNOTATION];
  if (!text) return undefined;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(lastApplied) || lastApplied.apiVersion !== apiVersion) return undefined;
  const changes = walker.compare(lastApplied, live);
  return walker.toFieldSet(lastApplied).difference(changes.modified).difference(changes.added).difference(changes.removed);
}

/**
 * A configuration saying `creationTimestamp: null` (as `kubectl create --dry-run -o yaml` writes) must
 * not erase what the server set; kube-apiserver restores these in BeforeUpdate, we keep them here.
 */
const SYSTEM_METADATA = ['creationTimestamp', 'uid', 'resourceVersion', 'generation', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];
function keepSystemMetadata(merged: JsonObject, live: JsonObject): void {
  const from = live.metadata;
  if (!isObject(from)) return;
  const to = (isObject(merged.metadata) ? merged.metadata : (merged.metadata = {})) as JsonObject;
  for (const k of SYSTEM_METADATA) if (to[k] === undefined && from[k] !== undefined) to[k] = clone(from[k]);
}

/** Go's json.Marshal of a map: keys sorted; kube-apiserver's encoder ends with a newline. */
function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableStringify(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

function buildLastApplied(config: JsonObject): string {
  const copy = clone(config);
  const meta = copy.metadata as JsonObject | undefined;
  if (isObject(meta) && isObject(meta.annotations)) delete meta.annotations[LAST_APPLIED_ANNOTATION];
  return `${stableStringify(copy)}\n`;
}

export function apply(opts: ApplyOptions): PatchResult {
  const config = opts.config;
  const kind = typeof config.kind === 'string' ? config.kind : '';
  const apiVersion = typeof config.apiVersion === 'string' ? config.apiVersion : '';
  if (groupOf(apiVersion) !== groupOf(opts.apiVersion) || kind !== opts.kind) {
    throw badRequest(`invalid object type: ${groupOf(apiVersion)}/${versionOf(apiVersion)}, Kind=${kind}`);
  }
  if (apiVersion !== opts.apiVersion) {
    throw badRequest(`Incorrect version specified in apply patch. Specified patch version: ${apiVersion}, expected: ${opts.apiVersion}`);
  }
  if (isObject(config.metadata) && config.metadata.managedFields !== undefined && config.metadata.managedFields !== null) {
    throw badRequest('metadata.managedFields must be nil');
  }

  const walker = new TypedWalker(opts.meta);
  const duplicates = walker.duplicateKeys(config);
  if (duplicates.length > 0) {
    // structured-merge-diff refuses the configuration; kube-apiserver answers a reason-less 500.
    const meta = (isObject(config.metadata) ? config.metadata : {}) as JsonObject;
    const gvk = `${groupOf(apiVersion)}/${versionOf(apiVersion)}, Kind=${kind}`;
    const message = `failed to create typed patch object (${String(meta.namespace ?? '')}/${String(meta.name ?? '')}; ${gvk}): ${duplicates.join('\n')}`;
    throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 });
  }
  const reset = new FieldSet(opts.resetFields ?? defaultResetFields(opts.subresource, opts.kind));
  const time = formatTime(opts.now);
  const liveFields = (opts.live?.metadata as JsonObject | undefined)?.managedFields as ManagedFieldsEntry[] | undefined;
  const live = withoutManagedFields(opts.live as JsonObject | undefined);
  const managed = decodeManagedFields(liveFields);

  // An object nobody tracked yet: its current fields go to "before-first-apply".
  if (opts.live && managed.size === 0) {
    updateManaged(walker, managed, emptyLike(live), live, { manager: BEFORE_FIRST_APPLY, operation: 'Update', apiVersion: opts.apiVersion, time }, reset);
  }

  const who: Omit<ManagerSet, 'fields'> = { manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion };
  if (opts.subresource) who.subresource = opts.subresource;
  const self = managerIdentity(who);
  const previous = managed.get(self);
  const applied = walker.toFieldSet(config).withoutPrefixes(reset);

  let merged = walker.merge(live, config);
  if (previous && !previous.fields.empty()) {
    let stillOwned = applied;
    for (const [id, m] of managed) if (id !== self) stillOwned = stillOwned.union(m.fields);
    const toRemove = previous.fields.withNamedParents().difference(stillOwned.withNamedParents());
    merged = walker.removeItems(merged, toRemove);
  }
  // Compared as merged, nulls included: structured-merge-diff finds a value the configuration sets
  // to null modified (a conflict with its owners), not removed; the stored object drops them.
  const changes = diff(walker, live, merged, reset);
  dropNulls(merged);
  keepSystemMetadata(merged, live);

  const others: Managed = new Map([...managed].filter(([id]) => id !== self));
  const conflicts = shareOut(others, changes, undefined);
  if (conflicts.length > 0 && !opts.force) {
    const allowed = opts.manager === 'kubectl' ? allowedFromLastApplied(walker, live, opts.apiVersion) : undefined;
    const remaining = allowed ? conflicts.filter((c) => !allowed.has(c.path)) : conflicts;
    if (remaining.length > 0) throw applyConflictError(remaining);
  }
  for (const c of conflicts) c.manager.fields = c.manager.fields.difference(new FieldSet([c.path]));

  // Like structured-merge-diff, the applier's time moves only when the apply changed the object.
  const appliedChanges = !deepEqual(merged, live);
  const entry: ManagerSet = { ...who, fields: applied.difference(STRIPPED_FIELDS) };
  if (appliedChanges) entry.time = time;
  else if (previous?.time) entry.time = previous.time;
  others.set(self, entry);
  dropEmpty(others);

  if (opts.manager === 'kubectl') {
    const annotations = (merged.metadata as JsonObject | undefined)?.annotations as Record<string, string> | undefined;
    if (annotations?.[LAST_APPLIED_ANNOTATION]) annotations[LAST_APPLIED_ANNOTATION] = buildLastApplied(config);
  }

  let managedFields = encodeManagedFields(others);
  if (deepEqual(merged, live)) managedFields = keepTimestampsIfUnchanged(liveFields, managedFields);
  const metadata = (isObject(merged.metadata) ? merged.metadata : (merged.metadata = {})) as JsonObject;
  metadata.managedFields = managedFields;
  return { object: merged, managedFields, changed: !deepEqual(merged, opts.live ?? {}) };
}
