import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, recordUpdate, LAST_APPLIED_ANNOTATION } from '../../../../../src/cluster/apiserver/patch/server-side-apply';
import { applyJsonPatch } from '../../../../../src/cluster/apiserver/patch/json-patch';
import { StatusError } from '../../../../../src/cluster/api/errors';
import type { JsonObject } from '../../../../../src/cluster/apiserver/patch/json-value';
import type { ManagedFieldsEntry } from '../../../../../src/cluster/api/types';
import { podMeta } from './pod-meta';
import { metaFromTable } from '../../../../../src/cluster/apiserver/patch/patch-meta';

const T0 = Date.parse('2026-11-24T10:00:00Z');
const T1 = Date.parse('2026-11-24T10:05:00.750Z');
const base = { apiVersion: 'v1', kind: 'Pod', meta: podMeta };

// The manifest of kubectl-1.32-request-log.txt, as `kubectl apply --server-side` sends it.
function manifest(image = 'nginx:1.27', labels: Record<string, string> = { app: 'nginx' }): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { labels, name: 'nginx', namespace: 'default' },
    spec: { containers: [{ image, name: 'nginx', ports: [{ containerPort: 80 }] }] },
  };
}

/** What the API server stores after defaulting a created manifest. */
function stored(obj: JsonObject, managedFields?: ManagedFieldsEntry[]): JsonObject {
  const o = structuredClone(obj);
  const meta = o.metadata as JsonObject;
  meta.uid = 'u-1';
  meta.resourceVersion = '5';
  meta.creationTimestamp = '2026-11-24T10:00:00Z';
  const spec = o.spec as JsonObject;
  for (const c of spec.containers as JsonObject[]) {
    c.imagePullPolicy = 'IfNotPresent';
    c.resources = {};
    c.terminationMessagePath = '/dev/termination-log';
    c.terminationMessagePolicy = 'File';
    for (const p of (c.ports as JsonObject[] | undefined) ?? []) p.protocol = 'TCP';
  }
  spec.restartPolicy = 'Always';
  spec.dnsPolicy = 'ClusterFirst';
  o.status = { phase: 'Pending', qosClass: 'BestEffort' };
  if (managedFields) meta.managedFields = managedFields;
  return o;
}

function image(obj: JsonObject): unknown {
  return ((obj.spec as JsonObject).containers as JsonObject[])[0]!.image;
}

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  assert.fail('expected a StatusError');
}

test('apply creates the object and records the Apply entry in FieldsV1', () => {
  const r = apply({ ...base, config: manifest(), manager: 'kubectl', force: false, now: T0 });
  assert.equal(image(r.object), 'nginx:1.27');
  assert.equal(
    JSON.stringify(r.managedFields),
    JSON.stringify([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'v1',
        time: '2026-11-24T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"nginx"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              },
            },
          },
        },
      },
    ]),
  );
  assert.deepEqual((r.object.metadata as JsonObject).managedFields, r.managedFields);
});

test('an Update on create owns what it set, defaults included, with `.` for new maps and items', () => {
  const body = manifest();
  (body.metadata as JsonObject).annotations = { [LAST_APPLIED_ANNOTATION]: '{}\n' };
  const mf = recordUpdate({ ...base, updated: stored(body), manager: 'kubectl-client-side-apply', now: T0 });
  assert.deepEqual(mf, [
    {
      manager: 'kubectl-client-side-apply',
      operation: 'Update',
      apiVersion: 'v1',
      time: '2026-11-24T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': {
          'f:annotations': { '.': {}, [`f:${LAST_APPLIED_ANNOTATION}`]: {} },
          'f:labels': { '.': {}, 'f:app': {} },
        },
        'f:spec': {
          'f:containers': {
            'k:{"name":"nginx"}': {
              '.': {},
              'f:image': {},
              'f:imagePullPolicy': {},
              'f:name': {},
              'f:ports': { '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
              'f:resources': {},
              'f:terminationMessagePath': {},
              'f:terminationMessagePolicy': {},
            },
          },
          'f:dnsPolicy': {},
          'f:restartPolicy': {},
        },
      },
    },
  ]);
});

function csaPod(withAnnotation: boolean): JsonObject {
  const body = manifest();
  if (withAnnotation) {
    const lastApplied = { apiVersion: 'v1', kind: 'Pod', metadata: { annotations: {}, labels: { app: 'nginx' }, name: 'nginx', namespace: 'default' }, spec: { containers: [{ image: 'nginx:1.27', name: 'nginx', ports: [{ containerPort: 80 }] }] } };
    (body.metadata as JsonObject).annotations = { [LAST_APPLIED_ANNOTATION]: `${JSON.stringify(lastApplied)}\n` };
  }
  const obj = stored(body);
  const mf = recordUpdate({ ...base, updated: obj, manager: 'kubectl-client-side-apply', now: T0 });
  (obj.metadata as JsonObject).managedFields = mf;
  return obj;
}

test('changing a field another manager owns is a 409 Conflict worded as kube-apiserver words it', () => {
  const live = csaPod(false);
  const err = statusOf(() => apply({ ...base, live, config: manifest('nginx:1.28'), manager: 'kubectl', force: false, now: T1 }));
  assert.deepEqual(err.status, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec.containers[name="nginx"].image',
    reason: 'Conflict',
    details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using v1', field: '.spec.containers[name="nginx"].image' }] },
    code: 409,
  });
});

test('several conflicts are listed per manager', () => {
  const live = csaPod(false);
  const err = statusOf(() => apply({ ...base, live, config: manifest('nginx:1.28', { app: 'web' }), manager: 'ci', force: false, now: T1 }));
  assert.equal(
    err.message,
    'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using v1:\n- .metadata.labels.app\n- .spec.containers[name="nginx"].image',
  );
  assert.deepEqual(err.status.details?.causes?.map((c) => c.field), ['.metadata.labels.app', '.spec.containers[name="nginx"].image']);
});

test('applying the value a field already has shares ownership without conflict', () => {
  const live = csaPod(false);
  const r = apply({ ...base, live, config: manifest(), manager: 'kubectl', force: false, now: T1 });
  assert.equal(r.changed, true, 'managedFields changed: the object must be written');
  assert.equal(r.managedFields[0]!.time, undefined, 'the applier changed no field, so no time, as structured-merge-diff records it');
  const again = apply({ ...base, live: r.object, config: manifest(), manager: 'kubectl', force: false, now: T1 + 60_000 });
  assert.equal(again.changed, false, 'applying again is a no-op');
  const managers = r.managedFields.map((m) => `${m.manager}/${m.operation}`);
  assert.deepEqual(managers, ['kubectl/Apply', 'kubectl-client-side-apply/Update']);
  const csa = JSON.stringify(r.managedFields[1]!.fieldsV1);
  assert.match(csa, /"f:image"/);
});

test('force takes the field from its owner', () => {
  const live = csaPod(false);
  const r = apply({ ...base, live, config: manifest('nginx:1.28'), manager: 'kubectl', force: true, now: T1 });
  assert.equal(image(r.object), 'nginx:1.28');
  assert.equal(r.managedFields[0]!.time, '2026-11-24T10:05:00Z');
  const csa = r.managedFields.find((m) => m.manager === 'kubectl-client-side-apply')!;
  assert.doesNotMatch(JSON.stringify(csa.fieldsV1), /"f:image"/);
  assert.match(JSON.stringify(csa.fieldsV1), /"f:imagePullPolicy"/);
});

test('kubectl migrating from client-side apply: fields last applied unchanged are taken without conflict', () => {
  const live = csaPod(true);
  const r = apply({ ...base, live, config: manifest('nginx:1.28'), manager: 'kubectl', force: false, now: T1 });
  assert.equal(image(r.object), 'nginx:1.28');
  const annotation = ((r.object.metadata as JsonObject).annotations as Record<string, string>)[LAST_APPLIED_ANNOTATION];
  assert.equal(annotation, '{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"app":"nginx"},"name":"nginx","namespace":"default"},"spec":{"containers":[{"image":"nginx:1.28","name":"nginx","ports":[{"containerPort":80}]}]}}\n');
  // Another manager gets no such leniency.
  assert.equal(statusOf(() => apply({ ...base, live, config: manifest('nginx:1.28'), manager: 'ci', force: false, now: T1 })).code, 409);
});

test('a field dropped from the configuration is removed unless someone else owns it', () => {
  const first = apply({ ...base, config: manifest('nginx:1.27', { app: 'nginx', tier: 'web' }), manager: 'kubectl', force: false, now: T0 });
  const live = stored(first.object, first.managedFields);
  const second = apply({ ...base, live, config: manifest(), manager: 'kubectl', force: false, now: T1 });
  assert.deepEqual((second.object.metadata as JsonObject).labels, { app: 'nginx' });
  assert.equal(second.changed, true);

  // `kubectl label` (an Update) also set tier: it stays.
  const labelled = structuredClone(live);
  const labelledFields = recordUpdate({ ...base, old: live, updated: labelled, manager: 'kubectl-label', now: T0 });
  assert.deepEqual(labelledFields, live.metadata && (live.metadata as JsonObject).managedFields, 'a no-op update changes nothing');
  const relabel = structuredClone(live);
  ((relabel.metadata as JsonObject).labels as JsonObject).tier = 'frontend';
  (relabel.metadata as JsonObject).managedFields = recordUpdate({ ...base, old: live, updated: relabel, manager: 'kubectl-label', now: T1 });
  const third = apply({ ...base, live: relabel, config: manifest(), manager: 'kubectl', force: false, now: T1 });
  assert.deepEqual((third.object.metadata as JsonObject).labels, { app: 'nginx', tier: 'frontend' });
});

test('a container dropped from the configuration goes, with its defaulted fields', () => {
  const config = manifest();
  ((config.spec as JsonObject).containers as JsonObject[]).push({ name: 'sidecar', image: 'busybox' });
  const first = apply({ ...base, config, manager: 'kubectl', force: false, now: T0 });
  const live = stored(first.object, first.managedFields);
  const second = apply({ ...base, live, config: manifest(), manager: 'kubectl', force: false, now: T1 });
  const names = ((second.object.spec as JsonObject).containers as JsonObject[]).map((c) => c.name);
  assert.deepEqual(names, ['nginx']);
  assert.equal(((second.object.spec as JsonObject).containers as JsonObject[])[0]!.imagePullPolicy, 'IfNotPresent');
});

test('an applied container list merges by name: live items keep their place, new ones follow the configuration', () => {
  const live = stored({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }] } });
  (live.metadata as JsonObject).managedFields = recordUpdate({ ...base, updated: live, manager: 'kubectl-create', now: T0 });
  const config = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'b', image: 'b' }, { name: 'c', image: 'c' }] } };
  const r = apply({ ...base, live, config, manager: 'm', force: false, now: T1 });
  assert.deepEqual(((r.object.spec as JsonObject).containers as JsonObject[]).map((c) => c.name), ['a', 'b', 'c']);
});

test('updates: the writer takes what it changed, keeps the rest, time moves only on change', () => {
  const live = csaPod(false);
  const patched = structuredClone(live);
  ((patched.spec as JsonObject).containers as JsonObject[])[0]!.image = 'nginx:1.28';
  const mf = recordUpdate({ ...base, old: live, updated: patched, manager: 'kubectl-set', now: T1 });
  assert.deepEqual(mf.map((m) => [m.manager, m.time]), [['kubectl-client-side-apply', '2026-11-24T10:00:00Z'], ['kubectl-set', '2026-11-24T10:05:00Z']]);
  assert.deepEqual(mf[1]!.fieldsV1, { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { 'f:image': {} } } } });
  assert.doesNotMatch(JSON.stringify(mf[0]!.fieldsV1), /"f:image"/);
});

test('a status update is recorded with its subresource and never owns spec', () => {
  const live = csaPod(false);
  const updated = structuredClone(live);
  updated.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
  (updated.spec as JsonObject).nodeName = 'ignored-by-the-strategy-anyway';
  const mf = recordUpdate({ ...base, old: live, updated, manager: 'kubelet', subresource: 'status', now: T1 });
  const kubelet = mf.find((m) => m.manager === 'kubelet')!;
  assert.equal(kubelet.subresource, 'status');
  assert.deepEqual(kubelet.fieldsV1, { 'f:status': { 'f:conditions': { '.': {}, 'k:{"type":"Ready"}': { '.': {}, 'f:status': {}, 'f:type': {} } }, 'f:phase': {} } });
});

test('managedFields sent on the main resource are honoured (kubectl rewrites them); [{}] clears them', () => {
  const live = csaPod(false);
  const rewritten = structuredClone(live);
  const entries = (rewritten.metadata as JsonObject).managedFields as ManagedFieldsEntry[];
  entries[0] = { ...entries[0]!, manager: 'kubectl', operation: 'Apply' };
  delete entries[0]!.apiVersion;
  entries[0]!.apiVersion = 'v1';
  const mf = recordUpdate({ ...base, old: live, updated: rewritten, manager: 'kubectl', now: T1 });
  assert.deepEqual(mf.map((m) => `${m.manager}/${m.operation}`), ['kubectl/Apply']);

  const cleared = structuredClone(live);
  (cleared.metadata as JsonObject).managedFields = [{}];
  assert.deepEqual(recordUpdate({ ...base, old: live, updated: cleared, manager: 'x', now: T1 }), []);
});

test('the first apply on an untracked object hands its fields to before-first-apply', () => {
  const live = stored(manifest());
  const err = statusOf(() => apply({ ...base, live, config: manifest('nginx:1.28'), manager: 'ci', force: false, now: T1 }));
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .spec.containers[name="nginx"].image');
});

test('apply rejects a body of another kind or version, or one carrying managedFields', () => {
  const wrongVersion = { ...manifest(), apiVersion: 'v2' };
  assert.equal(statusOf(() => apply({ ...base, config: wrongVersion, manager: 'k', force: false, now: T0 })).message, 'Incorrect version specified in apply patch. Specified patch version: v2, expected: v1');
  const wrongKind = { ...manifest(), kind: 'Service' };
  assert.equal(statusOf(() => apply({ ...base, config: wrongKind, manager: 'k', force: false, now: T0 })).message, 'invalid object type: /v1, Kind=Service');
  const withFields = manifest();
  (withFields.metadata as JsonObject).managedFields = [];
  const err = statusOf(() => apply({ ...base, config: withFields, manager: 'k', force: false, now: T0 }));
  assert.deepEqual([err.code, err.reason, err.message], [400, 'BadRequest', 'metadata.managedFields must be nil']);
});

test('more than 10 Update managers: the oldest fold into ancient-changes', () => {
  let obj = csaPod(false);
  for (let i = 0; i < 11; i++) {
    const next = structuredClone(obj);
    ((next.metadata as JsonObject).labels as JsonObject)[`l${i}`] = 'x';
    (next.metadata as JsonObject).managedFields = recordUpdate({ ...base, old: obj, updated: next, manager: `m${i}`, now: T1 + i * 1000 });
    obj = next;
  }
  const mf = (obj.metadata as JsonObject).managedFields as ManagedFieldsEntry[];
  assert.equal(mf.length, 10);
  assert.deepEqual(mf[0]!.manager, 'ancient-changes');
  assert.equal(mf[0]!.time, '2026-11-24T10:05:01Z', 'the time of the last manager folded in');
  const fields = JSON.stringify(mf[0]!.fieldsV1);
  assert.match(fields, /"f:l0"/);
  assert.match(fields, /"f:image"/, 'kubectl-client-side-apply, the oldest, is folded in too');
  assert.match(fields, /"f:l1"/);
  assert.deepEqual(mf.slice(1).map((m) => m.manager), ['m2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10']);
});

test('kubectl client-side to server-side migration, end to end: only what was applied is pruned', () => {
  // kubectl apply (client-side) creates the pod: the field manager records before admission adds the
  // service-account volume, so nobody owns that volume.
  const body = manifest('nginx:1.27', { app: 'nginx', tier: 'web' });
  (body.metadata as JsonObject).annotations = { [LAST_APPLIED_ANNOTATION]: '{}\n' };
  const created = stored(body);
  (created.metadata as JsonObject).managedFields = recordUpdate({ ...base, updated: created, manager: 'kubectl-client-side-apply', now: T0 });
  (created.spec as JsonObject).volumes = [{ name: 'kube-api-access-x', projected: { sources: [] } }];

  // kubectl's csaupgrade JSON patch: the client-side entry becomes kubectl's Apply entry.
  const entries = structuredClone((created.metadata as JsonObject).managedFields as ManagedFieldsEntry[]);
  entries[0] = { ...entries[0]!, manager: 'kubectl', operation: 'Apply' };
  const migrated = applyJsonPatch(created, [
    { op: 'replace', path: '/metadata/managedFields', value: entries },
    { op: 'replace', path: '/metadata/resourceVersion', value: '5' },
  ]);
  (migrated.metadata as JsonObject).managedFields = recordUpdate({ ...base, old: created, updated: migrated, manager: 'kubectl', now: T1 });
  assert.deepEqual(((migrated.metadata as JsonObject).managedFields as ManagedFieldsEntry[]).map((m) => `${m.manager}/${m.operation}`), ['kubectl/Apply']);

  // kubectl apply --server-side without the tier label: the label goes, the volume stays.
  const r = apply({ ...base, live: migrated, config: manifest(), manager: 'kubectl', force: false, now: T1 });
  assert.deepEqual((r.object.metadata as JsonObject).labels, { app: 'nginx' });
  assert.deepEqual((r.object.spec as JsonObject).volumes, [{ name: 'kube-api-access-x', projected: { sources: [] } }]);
  // Defaults the client-side entry owned are pruned too; kube-apiserver defaults them again afterwards.
  assert.equal(((r.object.spec as JsonObject).containers as JsonObject[])[0]!.imagePullPolicy, undefined);
});

test('a configuration with two items of the same key is refused as kube-apiserver refuses it', () => {
  const config = manifest();
  ((config.spec as JsonObject).containers as JsonObject[]).push({ name: 'nginx', image: 'other' });
  const err = statusOf(() => apply({ ...base, config, manager: 'kubectl', force: false, now: T0 }));
  assert.deepEqual([err.code, err.reason, err.message], [500, '', 'failed to create typed patch object (default/nginx; /v1, Kind=Pod): .spec.containers: duplicate entries for key [name="nginx"]']);
});

test('an Event created by the kubelet: atomic references are leaves, non-pointer structs have no `.`', () => {
  const event = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'nginx.1', namespace: 'default' },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'nginx', namespace: 'default' },
    reason: 'Pulled',
    source: { component: 'kubelet', host: 'node-1' },
    count: 1,
  };
  const meta = metaFromTable({ involvedObject: { mapType: 'atomic' } });
  const mf = recordUpdate({ updated: event, manager: 'kubelet', apiVersion: 'v1', now: T0, meta });
  assert.deepEqual(mf[0]!.fieldsV1, {
    'f:count': {},
    'f:involvedObject': {},
    'f:reason': {},
    'f:source': { 'f:component': {}, 'f:host': {} },
  });
});

// Nulls (structured-merge-diff compares null as a value; Go's empty object, which a create is
// compared with, holds the nulls of unset metav1.Time and MicroTime fields reached through structs).

/** A kubelet's Event as its recorder sends it, with the stored object's metadata. */
function kubeletEvent(): JsonObject {
  return {
    apiVersion: 'v1', kind: 'Event',
    metadata: { name: 'nginx.1', namespace: 'default', uid: 'u-1', creationTimestamp: '2026-11-24T10:00:00Z' },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'nginx', namespace: 'default' },
    reason: 'Pulled', message: 'Successfully pulled image', source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2026-11-24T10:00:00Z', lastTimestamp: '2026-11-24T10:00:00Z', count: 1, type: 'Normal',
    eventTime: null, reportingComponent: 'kubelet', reportingInstance: 'node-1',
  };
}
const eventMeta = metaFromTable({ involvedObject: { mapType: 'atomic' } });

test('an Event created with eventTime null: the kubelet owns every field it wrote but eventTime', () => {
  const mf = recordUpdate({ updated: kubeletEvent(), manager: 'kubelet', apiVersion: 'v1', now: T0, meta: eventMeta });
  assert.deepEqual(Object.keys(mf[0]!.fieldsV1 as JsonObject), [
    'f:count', 'f:firstTimestamp', 'f:involvedObject', 'f:lastTimestamp', 'f:message', 'f:reason',
    'f:reportingComponent', 'f:reportingInstance', 'f:source', 'f:type',
  ]);
});

test('an update taking a field from a value to null owns it; a null left as it was is not owned', () => {
  const old = kubeletEvent();
  old.eventTime = '2026-11-24T10:00:00.000000Z';
  (old.metadata as JsonObject).managedFields = recordUpdate({ updated: structuredClone(old), manager: 'kubelet', apiVersion: 'v1', now: T0, meta: eventMeta });
  const updated = structuredClone(old);
  updated.eventTime = null;
  updated.message = 'again';
  const mf = recordUpdate({ old, updated, manager: 'editor', apiVersion: 'v1', now: T1, meta: eventMeta });
  const editor = mf.find((e) => e.manager === 'editor')!;
  assert.deepEqual(editor.fieldsV1, { 'f:eventTime': {}, 'f:message': {} });
  assert.equal((mf.find((e) => e.manager === 'kubelet')!.fieldsV1 as JsonObject)['f:eventTime'], undefined);

  // From null to null: another write of the event leaves eventTime to no one.
  const next = structuredClone(updated);
  (next.metadata as JsonObject).managedFields = mf;
  const after = structuredClone(next);
  after.count = 2;
  const counted = recordUpdate({ old: next, updated: after, manager: 'kubelet', apiVersion: 'v1', now: T1, meta: eventMeta });
  assert.equal((counted.find((e) => e.manager === 'kubelet')!.fieldsV1 as JsonObject)['f:eventTime'], undefined);
  assert.deepEqual((counted.find((e) => e.manager === 'editor')!.fieldsV1 as JsonObject)['f:eventTime'], {});
});

const deploymentMeta = metaFromTable({
  'spec.selector': { mapType: 'atomic' },
  'spec.template.spec.containers': { patchStrategy: 'merge', patchMergeKey: 'name' },
});

function deployment(): JsonObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
    },
  };
}

test('a Deployment created with its template\'s creationTimestamp null: not owned, and the template\'s structs have no `.`', () => {
  const mf = recordUpdate({ updated: deployment(), manager: 'kubectl-create', apiVersion: 'apps/v1', now: T0, meta: deploymentMeta });
  const template = ((mf[0]!.fieldsV1 as JsonObject)['f:spec'] as JsonObject)['f:template'] as JsonObject;
  assert.deepEqual(template['f:metadata'], { 'f:labels': { '.': {}, 'f:app': {} } });
  assert.equal(template['.'], undefined);
});

test('a null inside a list item is owned with its item (a pod condition\'s lastProbeTime)', () => {
  const pod = { ...manifest(), status: { conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-24T10:00:00Z' }] } };
  const old = stored(manifest());
  (old.metadata as JsonObject).managedFields = recordUpdate({ ...base, updated: structuredClone(old), manager: 'kubectl', now: T0 });
  const mf = recordUpdate({ ...base, old, updated: { ...structuredClone(old), status: pod.status }, manager: 'kubelet', now: T1, subresource: 'status' });
  const conditions = ((mf.find((e) => e.manager === 'kubelet')!.fieldsV1 as JsonObject)['f:status'] as JsonObject)['f:conditions'] as JsonObject;
  assert.deepEqual(conditions['k:{"type":"Ready"}'], { '.': {}, 'f:lastProbeTime': {}, 'f:lastTransitionTime': {}, 'f:status': {}, 'f:type': {} });
});

test('an applied configuration saying `field: null` owns the field (the template\'s creationTimestamp)', () => {
  const r = apply({ apiVersion: 'apps/v1', kind: 'Deployment', meta: deploymentMeta, config: deployment(), manager: 'kubectl', force: false, now: T0 });
  const template = ((r.managedFields[0]!.fieldsV1 as JsonObject)['f:spec'] as JsonObject)['f:template'] as JsonObject;
  assert.deepEqual(template['f:metadata'], { 'f:creationTimestamp': {}, 'f:labels': { 'f:app': {} } });
});

test('an applied `field: null` over a value another manager owns is a conflict, as a change of that value is', () => {
  const live = stored(manifest('nginx:1.27', { app: 'nginx', tier: 'web' }));
  (live.metadata as JsonObject).managedFields = recordUpdate({ ...base, updated: structuredClone(live), manager: 'kubectl-create', now: T0 });
  const config = manifest('nginx:1.27', { app: 'nginx', tier: null as unknown as string });
  const err = statusOf(() => apply({ ...base, live, config, manager: 'deployer', force: false, now: T1 }));
  assert.deepEqual([err.code, err.message], [409, 'Apply failed with 1 conflict: conflict with "kubectl-create" using v1: .metadata.labels.tier']);

  // Forced: the label goes, and the applier owns it (as null) in place of its former owner.
  const r = apply({ ...base, live, config, manager: 'deployer', force: true, now: T1 });
  assert.deepEqual((r.object.metadata as JsonObject).labels, { app: 'nginx' });
  const labelsOf = (manager: string) => ((r.managedFields.find((e) => e.manager === manager)!.fieldsV1 as JsonObject)['f:metadata'] as JsonObject)['f:labels'] as JsonObject;
  assert.deepEqual(Object.keys(labelsOf('deployer')), ['f:app', 'f:tier']);
  assert.equal(labelsOf('kubectl-create')['f:tier'], undefined);
});

test('an update sending null for a field stored absent changes nothing there (Go holds the same zero value either way)', () => {
  const old = kubeletEvent();
  delete old.eventTime;
  delete old.firstTimestamp;
  (old.metadata as JsonObject).managedFields = recordUpdate({ updated: structuredClone(old), manager: 'creator', apiVersion: 'v1', now: T0, meta: eventMeta });
  const updated: JsonObject = { ...structuredClone(old), eventTime: null, firstTimestamp: null, message: 'edited' };
  const mf = recordUpdate({ old, updated, manager: 'editor', apiVersion: 'v1', now: T1, meta: eventMeta });
  assert.deepEqual(mf.find((e) => e.manager === 'editor')!.fieldsV1, { 'f:message': {} });

  // And back: a null stored, the field left out of the next update, is no removal either.
  const stored2 = { ...structuredClone(updated), metadata: { ...(updated.metadata as JsonObject), managedFields: mf } };
  const next = structuredClone(stored2) as JsonObject;
  delete next.eventTime;
  next.count = 2;
  const again = recordUpdate({ old: stored2, updated: next, manager: 'editor', apiVersion: 'v1', now: T1, meta: eventMeta });
  assert.deepEqual(again.find((e) => e.manager === 'editor')!.fieldsV1, { 'f:count': {}, 'f:message': {} });
});

// OwnerReference is `x-kubernetes-map-type: atomic` in 1.32: an item of metadata.ownerReferences is
// a leaf, `k:{"uid":...}: {}`, added, modified and merged whole.

const rsOwner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'nginx-6bbbdbdbd4', uid: 'rs-1', controller: true, blockOwnerDeletion: true };

function ownedPod(): JsonObject {
  const pod = stored(manifest());
  (pod.metadata as JsonObject).ownerReferences = [structuredClone(rsOwner)];
  (pod.metadata as JsonObject).managedFields = recordUpdate({ ...base, updated: structuredClone(pod), manager: 'kube-controller-manager', now: T0 });
  return pod;
}

const ownerRefsOf = (mf: ManagedFieldsEntry[], manager: string) => ((mf.find((e) => e.manager === manager)!.fieldsV1 as JsonObject)['f:metadata'] as JsonObject)['f:ownerReferences'];

test('a created ownerReference is owned whole, without its members', () => {
  assert.deepEqual(ownerRefsOf((ownedPod().metadata as JsonObject).managedFields as ManagedFieldsEntry[], 'kube-controller-manager'), { '.': {}, 'k:{"uid":"rs-1"}': {} });
});

test('an update changing one member of an ownerReference takes the whole item from its owner', () => {
  const old = ownedPod();
  const updated = structuredClone(old);
  ((updated.metadata as JsonObject).ownerReferences as JsonObject[])[0]!.blockOwnerDeletion = false;
  const mf = recordUpdate({ ...base, old, updated, manager: 'orphaner', now: T1 });
  assert.deepEqual(mf.find((e) => e.manager === 'orphaner')!.fieldsV1, { 'f:metadata': { 'f:ownerReferences': { 'k:{"uid":"rs-1"}': {} } } });
  assert.deepEqual(ownerRefsOf(mf, 'kube-controller-manager'), {}, 'the list itself stays its creator\'s');
});

test('an applied ownerReference replaces the live item whole, and conflicts with its owner as one field', () => {
  const live = ownedPod();
  const config = manifest();
  (config.metadata as JsonObject).ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'nginx-6bbbdbdbd4', uid: 'rs-1' }];
  const err = statusOf(() => apply({ ...base, live, config, manager: 'deployer', force: false, now: T1 }));
  assert.equal(err.code, 409);
  assert.match(err.message, /conflict with "kube-controller-manager" using v1: \.metadata\.ownerReferences\[uid="rs-1"\]$/);
  const r = apply({ ...base, live, config, manager: 'deployer', force: true, now: T1 });
  assert.deepEqual((r.object.metadata as JsonObject).ownerReferences, (config.metadata as JsonObject).ownerReferences);
  assert.deepEqual(ownerRefsOf(r.managedFields, 'deployer'), { 'k:{"uid":"rs-1"}': {} });
});
