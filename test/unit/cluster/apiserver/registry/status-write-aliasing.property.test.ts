/**
 * Property: however a pod's status is written (merge patches naming members as lists, scalars,
 * objects or null, with or without a uid precondition, stale or wrong preconditions, dry runs,
 * strategic and JSON patches, a PUT of the status), every revision a watcher was given stays
 * exactly its stored text, and neither the writer's answer nor its patch body shares anything with
 * what is stored: a status merge patch's copy of the stored pod holds the stored members it
 * replaces themselves (WriteContext.replacedStatus), and shapes written are shared as the watch's
 * objects (written.ts), so a value that leaked either way would show here as a revision changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Pod, WatchEvent } from '../../../../../src/cluster/api/types';
import { PODS } from '../../../../../src/cluster/client/client';
import { settle } from '../../../../../src/cluster/clock';
import { decodeKv } from '../../../../../src/cluster/apiserver/registry/codec';
import { pod, startCluster } from '../fixture';

const conditionType = fc.constantFrom('Ready', 'PodScheduled', 'Initialized', 'ContainersReady');
const condition = fc.oneof(
  fc.record({ type: conditionType, status: fc.constantFrom('True', 'False') }, { requiredKeys: ['type', 'status'] }),
  // As the kubelet sends them, and as they are stored: the same text as the stored one when it says
  // the same, so the write keeps the stored condition itself (registry/stored-parts.ts).
  fc.record({ type: conditionType, status: fc.constantFrom('True', 'False'), lastProbeTime: fc.constant(null), lastTransitionTime: fc.constantFrom(null, '2026-01-01T00:00:00Z') }),
);
const ips = fc.array(fc.constantFrom('10.0.0.1', '10.0.0.2', 'fd00::1').map((ip) => ({ ip })), { maxLength: 2 });
const member = fc.oneof(
  fc.record({ conditions: fc.oneof(fc.constant(null), fc.uniqueArray(condition, { selector: (c) => c.type, maxLength: 3 })) }),
  fc.record({ podIPs: fc.oneof(fc.constant(null), ips) }),
  fc.record({ hostIPs: fc.oneof(fc.constant(null), ips) }),
  // An object where a string belongs: merged member by member, as no list or scalar is.
  fc.record({ message: fc.oneof(fc.constant(null), fc.constantFrom('a', 'b'), fc.record({ a: fc.constantFrom('x', 'y'), b: fc.constantFrom(null, ['1'], ['2']) }, { requiredKeys: ['a'] })) }),
  fc.record({ phase: fc.constantFrom('Pending', 'Running') }),
  fc.record({
    containerStatuses: fc.oneof(
      fc.constant(null),
      // Items that differ in one member, or only in the order of their members, or in a null the merge leaves out.
      fc.array(fc.constantFrom<Record<string, unknown>>(
        { name: 'app', image: 'nginx:1.27', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:00Z' } }, volumeMounts: [{ name: 'token', mountPath: '/var/run' }] },
        { name: 'app', image: 'nginx:1.27', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } }, volumeMounts: [{ name: 'token', mountPath: '/var/run' }] },
        { name: 'app', imageID: '', image: 'nginx:1.27', ready: true, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:00Z' } }, volumeMounts: [{ mountPath: '/var/run', name: 'token' }] },
        { name: 'app', image: 'nginx:1.27', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:00Z' }, waiting: null }, volumeMounts: [{ name: 'token', mountPath: '/var/run' }] },
      ), { minLength: 1, maxLength: 1 }),
    ),
  }),
  // The status said again as it is stored (filled in by the test from the pod it read).
  fc.record({ repeat: fc.constant(true) }),
);
const write = fc.record({
  how: fc.constantFrom('merge', 'merge', 'merge', 'strategic', 'json', 'put'),
  status: fc.array(member, { maxLength: 4 }).map((ms) => Object.assign({}, ...ms) as Record<string, unknown>),
  precondition: fc.constantFrom('none', 'uid', 'uid', 'wrong uid', 'stale resourceVersion'),
  dryRun: fc.boolean(),
  manager: fc.constantFrom('kubelet', 'other'),
});

const TIMES = new Set(['lastProbeTime', 'lastTransitionTime']);

/**
 * Whether `stored` says what `sent` does: every member it names is there with its value (a merge
 * patch's null: gone; a PUT's nested null: kept); lists item by item (the API adds members to
 * items, such as a condition's times), scalars as they are.
 */
function covers(stored: unknown, sent: unknown, merged: boolean): boolean {
  if (Array.isArray(sent)) return Array.isArray(stored) && stored.length === sent.length && sent.every((p, i) => covers(stored[i], p, merged));
  if (sent !== null && typeof sent === 'object') {
    if (stored === null || typeof stored !== 'object') return false;
    // A merge patch's null deletes, but for a condition's times, which the API stores as null (Go's metav1.Time).
    const deleted = (k: string) => !(k in stored) || (TIMES.has(k) && (stored as Record<string, unknown>)[k] === null);
    return Object.entries(sent).every(([k, v]) => (v === null && merged ? deleted(k) : covers((stored as Record<string, unknown>)[k], v, merged)));
  }
  return stored === sent;
}

/** Pushes onto every list and sets a member on every object in `value`, at any depth. */
function scribble(value: unknown): void {
  if (Array.isArray(value)) {
    for (const v of value) scribble(v);
    value.push({ scribbled: true });
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) scribble(v);
    (value as Record<string, unknown>).scribbled = true;
  }
}

test('status writes of every kind leave each revision a watcher got as it was stored, and share nothing with writers', async () => {
  await fc.assert(fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 12 }), async (writes) => {
    const cluster = await startCluster();
    try {
      const pods = cluster.client().resource<Pod>(PODS);
      const list = await pods.list({ namespace: 'default' });
      const events: WatchEvent[] = [];
      const watch = pods.watch({ namespace: 'default', resourceVersion: list.metadata.resourceVersion! }, (e) => events.push(e as WatchEvent), () => undefined);
      await pods.create(pod('p', {}, { schedulerName: 'none' }));
      for (const generated of writes) {
        // The writer's own copy: it is scribbled on below, and fast-check reuses what it generated.
        const w = structuredClone(generated);
        const current = await pods.get('p', { namespace: 'default' });
        if (w.status.repeat === true) {
          const { repeat: _repeat, ...rest } = w.status;
          w.status = { ...structuredClone(current.status), ...rest };
        }
        const body: Record<string, unknown> = { status: w.status };
        if (w.precondition === 'uid') body.metadata = { uid: current.metadata.uid };
        if (w.precondition === 'wrong uid') body.metadata = { uid: 'not-the-uid' };
        if (w.precondition === 'stale resourceVersion') body.metadata = { resourceVersion: '1' };
        const options = { namespace: 'default', subresource: 'status', fieldManager: w.manager, dryRun: w.dryRun };
        let answer: Pod | undefined;
        try {
          if (w.how === 'merge' || w.how === 'strategic') answer = await pods.patch('p', w.how, body, options);
          else if (w.how === 'json') answer = await pods.patch('p', 'json', Object.entries(w.status).map(([k, v]) => (v === null ? { op: 'remove', path: `/status/${k}` } : { op: 'add', path: `/status/${k}`, value: v })), options);
          else {
            const status: Record<string, unknown> = { ...current.status, ...w.status };
            for (const k of Object.keys(status)) if (status[k] === null) delete status[k];
            answer = await pods.update({ ...current, status } as Pod, options);
          }
        } catch (err) {
          // Refusals (a failed precondition, a JSON patch removing what is not there) are answers too.
          const code = (err as { code?: unknown }).code;
          assert.ok(typeof code === 'number' && code < 500, String(err));
        }
        if (answer !== undefined && (w.how === 'merge' || w.how === 'put')) {
          // What the write answered and what is stored now say what it asked for (a dry run: what it would have stored).
          // A PUT of the status leaves out the members the write names as null (see below).
          const sent = w.how === 'merge' ? w.status : Object.fromEntries(Object.entries(w.status).filter(([, v]) => v !== null));
          assert.ok(covers(answer.status, sent, w.how === 'merge'), `${JSON.stringify(answer.status)} for ${JSON.stringify(w.status)}`);
          if (!w.dryRun) assert.ok(covers((await pods.get('p', { namespace: 'default' })).status, sent, w.how === 'merge'));
        }
        scribble(answer?.status);
        scribble(w.status);
        await settle();
        for (const event of events) {
          const revision = Number(event.object.metadata.resourceVersion);
          const kv = (await cluster.store.range({ key: '/registry/pods/default/p', revision })).kvs[0]!;
          assert.equal(JSON.stringify(event.object), JSON.stringify(decodeKv(kv)), `revision ${revision}`);
        }
      }
      watch.stop();
    } finally {
      await cluster.stop();
    }
  }), { numRuns: 100, seed: 11 });
});
