/**
 * The rule of every managedFields fast path (owned, kept, recent writes with kept members and
 * renamed own values): the entries a client reads are byte for byte what the general path gives,
 * for any writer and any order of writes. A seeded walk through pods' lives (the kubelet's reports
 * with one or two IPs, dual-stack, in any order; another writer taking a field, adding or changing
 * one IP of two; the kubelet's next reports) checks each write against the general path, which
 * every entry takes when the stored entries' keys are not in the encoder's order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, recordUpdate } from '../../../../../src/cluster/apiserver/patch/server-side-apply';
import { metaFromTable } from '../../../../../src/cluster/apiserver/patch/patch-meta';
import { deepFreeze } from '../../../../../src/cluster/api/deep-freeze';
import type { JsonObject } from '../../../../../src/cluster/apiserver/patch/json-value';
import type { ManagedFieldsEntry } from '../../../../../src/cluster/api/types';

const meta = metaFromTable({
  'spec.containers': { patchStrategy: 'merge', patchMergeKey: 'name' },
  'status.conditions': { patchStrategy: 'merge', patchMergeKey: 'type' },
  'status.podIPs': { patchStrategy: 'merge', patchMergeKey: 'ip' },
  // Keyed here (1.32 declares it atomic) so that both own-value members are renamed.
  'status.hostIPs': { patchStrategy: 'merge', patchMergeKey: 'ip' },
});

/** A seeded generator (mulberry32) of integers in [0, n), so that a failure replays. */
function seededInts(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

const ORDER = ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1', 'subresource'];
/** Entries in the encoder's key order (an unchanged write answers the stored entries as they are). */
const canonical = (entries: ManagedFieldsEntry[]) => JSON.stringify(entries.map((e) => Object.fromEntries(ORDER.filter((k) => k in e).map((k) => [k, (e as unknown as JsonObject)[k]]))));

test('status writes of many pods by several writers, in any order: every answer is the general path\'s', () => {
  const next = seededInts(11);
  const N = 150;
  const pods: JsonObject[] = [];
  for (let i = 0; i < N; i++) {
    const pod: JsonObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, namespace: 'default', labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] }, status: { phase: 'Pending' } };
    (pod.metadata as JsonObject).managedFields = recordUpdate({ apiVersion: 'v1', meta, manager: 'creator', now: 1000, updated: structuredClone(pod) });
    pods.push(deepFreeze(pod));
  }
  const ips = new Map<number, string[]>();
  let fast = 0;
  for (let round = 0; round < 6; round++) {
    for (let i = 0; i < N; i++) {
      const old = pods[i]!;
      const updated = structuredClone(old) as JsonObject & { status: JsonObject };
      delete (updated.metadata as JsonObject).managedFields;
      const host = `10.0.${i % 3}.${i % 250}`;
      const conditions = (ready: string) => [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: ready }, { type: 'PodScheduled', status: 'True' }];
      let manager = 'kubelet';
      if (round === 0) updated.status = { phase: 'Pending', hostIP: host, hostIPs: [{ ip: host }], conditions: conditions('False') };
      else if (round === 1 || round === 3) {
        if (!ips.has(i) || next(4) === 0) {
          const own = [`10.${next(2) ? 244 : 9}.${next(256)}.${next(256)}`];
          if (next(3) === 0) own.push(`fd00::${next(65536).toString(16)}`);
          if (next(4) === 0) own.reverse();
          if (next(6) === 0) own[0] = host; // hostNetwork: the host's IP is the pod's
          ips.set(i, own);
        }
        const own = ips.get(i)!;
        updated.status = { phase: 'Running', hostIP: host, hostIPs: [{ ip: host }], podIP: own[0], podIPs: own.map((ip) => ({ ip })), conditions: conditions('True') };
      } else if (round === 2) {
        const r = next(4);
        const podIPs = (updated.status.podIPs ?? []) as JsonObject[];
        if (r === 0) [manager, updated.status.phase] = ['controller', 'Failed'];
        else if (r === 1) [manager, updated.status.podIPs] = ['node-agent', [...podIPs, { ip: `10.7.${next(256)}.1` }]];
        else if (r === 2 && podIPs.length > 0) updated.status.podIPs = [...podIPs.slice(0, -1), { ip: `10.8.${next(256)}.1` }];
        else continue;
      } else {
        updated.status = { ...updated.status, phase: round === 5 ? 'Succeeded' : 'Running', conditions: conditions(round === 5 ? 'False' : 'True'), ...(round === 4 && next(3) === 0 ? { message: 'm' } : {}) };
      }
      const now = 2000 + round * 1000 + next(2) * 500;
      const entries = recordUpdate({ apiVersion: 'v1', meta, manager, now, old, updated: structuredClone(updated), subresource: 'status' });
      const reordered = structuredClone(old);
      (reordered.metadata as JsonObject).managedFields = ((old.metadata as JsonObject).managedFields as ManagedFieldsEntry[]).map((e) => Object.fromEntries(Object.entries(e).reverse()));
      const general = recordUpdate({ apiVersion: 'v1', meta, manager, now, old: reordered, updated: structuredClone(updated), subresource: 'status' });
      assert.equal(canonical(entries), canonical(general), `round ${round}, pod ${i}, ${manager}`);
      // The general path encodes the writer's set anew; the fast paths answer it frozen (stored, or shared from recent writes).
      if (Object.isFrozen(entries.find((e) => e.manager === manager)?.fieldsV1)) fast++;
      (updated.metadata as JsonObject).managedFields = entries;
      pods[i] = deepFreeze(updated);
    }
  }
  // Most were answered by a fast path, not all by the general one.
  assert.ok(fast > N * 2, `${fast} answered by a fast path`);
});

test('updates of the main resource by several writers, each changing fields under several first members (metadata, spec) at once: every answer is the general path\'s', () => {
  // The entries kept as stored are those owning none of the changed paths; a set that has nothing
  // under a path's first member is passed over for every path starting there (managed-fields-kept.ts).
  const next = seededInts(7);
  const managers = ['creator', 'labeler', 'scaler', 'annotator'];
  const N = 40;
  const objects: JsonObject[] = [];
  for (let i = 0; i < N; i++) {
    const o: JsonObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    (o.metadata as JsonObject).managedFields = recordUpdate({ apiVersion: 'v1', meta, manager: 'creator', now: 1000, updated: structuredClone(o) });
    objects.push(deepFreeze(o));
  }
  let kept = 0;
  for (let round = 0; round < 12; round++) {
    for (let i = 0; i < N; i++) {
      const old = objects[i]!;
      const updated = structuredClone(old) as JsonObject & { metadata: JsonObject; spec: JsonObject };
      delete updated.metadata.managedFields;
      const manager = managers[next(managers.length)]!;
      // One to three first members changed, in any order: labels, annotations, spec.
      for (let k = 0, n = 1 + next(3); k < n; k++) {
        const what = next(5);
        if (what === 0) updated.metadata.labels = { ...(updated.metadata.labels as JsonObject), [`l${next(3)}`]: `v${next(3)}` };
        else if (what === 1) updated.metadata.annotations = { ...(updated.metadata.annotations as JsonObject), [`a${next(2)}`]: `${next(4)}` };
        else if (what === 2) updated.spec.containers = [{ name: 'c', image: `nginx:${next(3)}` }, ...(next(2) ? [{ name: 's', image: 'side' }] : [])];
        else if (what === 3) updated.spec.nodeName = `n${next(2)}`;
        else if (updated.metadata.labels !== undefined && next(2)) delete updated.metadata.labels;
      }
      const now = 2000 + round * 1000;
      const entries = recordUpdate({ apiVersion: 'v1', meta, manager, now, old, updated: structuredClone(updated) });
      const reordered = structuredClone(old);
      (reordered.metadata as JsonObject).managedFields = ((old.metadata as JsonObject).managedFields as ManagedFieldsEntry[]).map((e) => Object.fromEntries(Object.entries(e).reverse()));
      const general = recordUpdate({ apiVersion: 'v1', meta, manager, now, old: reordered, updated: structuredClone(updated) });
      assert.equal(canonical(entries), canonical(general), `round ${round}, object ${i}, ${manager}`);
      const stored = (old.metadata as JsonObject).managedFields as ManagedFieldsEntry[];
      if (entries.some((e) => stored.includes(e) && e.manager !== manager)) kept++;
      (updated.metadata as JsonObject).managedFields = entries;
      objects[i] = deepFreeze(updated);
    }
  }
  // Other writers' entries were kept as stored in many writes.
  assert.ok(kept > N, `${kept} writes kept an entry as stored`);
});

test('updates and status writes between server-side applies (forced or conflicting) by several managers, with label and annotation keys such as __proto__, constructor and dotted or slashed names, some sending the stored entries back: every update\'s answer is the general path\'s', () => {
  const next = seededInts(23);
  const pick = <T>(xs: T[]): T => xs[next(xs.length)]!;
  const managers = ['kubelet', 'kubectl', 'kubectl-client-side-apply', '1', 'a"b'];
  const keys = ['app', 'app.kubernetes.io/name', '__proto__', 'constructor', 'example.com/a.b', '1'];
  const set = (o: JsonObject, k: string, v: unknown) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  type Obj = JsonObject & { metadata: JsonObject; spec: JsonObject; status?: JsonObject };
  const change = (o: Obj, status: boolean) => {
    for (let k = 0, n = 1 + next(3); k < n; k++) {
      const w = next(5);
      if (status) {
        const s = (o.status ??= {});
        if (w === 0) s.phase = pick(['Pending', 'Running', 'Failed']);
        else if (w === 1) s.conditions = Array.from({ length: next(4) }, (_, i) => ({ type: ['Ready', 'Initialized', '1', 'true'][i], status: pick(['True', 'False']), ...(next(2) ? { reason: 'R' } : {}) }));
        else if (w === 2) s.podIPs = Array.from({ length: next(3) }, (_, i) => ({ ip: `10.0.${i}.${next(3)}` }));
        else if (w === 3) s.hostIPs = [{ ip: `10.1.0.${next(3)}` }];
        else delete s[pick(['phase', 'conditions', 'podIPs', 'hostIPs'])];
      } else {
        if (w === 0) set((o.metadata.labels ??= {}) as JsonObject, pick(keys), pick(['a', 'b', '1']));
        else if (w === 1) set((o.metadata.annotations ??= {}) as JsonObject, pick(keys), pick(['x', 'y']));
        else if (w === 2) o.spec.containers = [{ name: 'c', image: `nginx:${next(3)}` }, ...(next(2) ? [{ name: 's', image: 'side' }] : [])];
        else if (w === 3) o.spec.nodeName = `n${next(2)}`;
        else delete o.metadata[pick(['labels', 'annotations'])];
      }
    }
  };
  const N = 30;
  const objects: Obj[] = [];
  for (let i = 0; i < N; i++) {
    const o = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as Obj;
    o.metadata.managedFields = recordUpdate({ apiVersion: 'v1', meta, manager: 'creator', now: 1000, updated: structuredClone(o) });
    objects.push(deepFreeze(o));
  }
  let applied = 0;
  let conflicts = 0;
  for (let round = 0; round < 40; round++) {
    for (let i = 0; i < N; i++) {
      const old = objects[i]!;
      const manager = pick(managers);
      const now = 2000 + round * 1000 + next(2) * 500;
      const what = next(4);
      if (what === 3) {
        const config = { apiVersion: 'v1', kind: 'Pod', metadata: { name: old.metadata.name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } } as Obj;
        change(config, false);
        try {
          const r = apply({ live: old, config, manager, force: next(2) === 0, apiVersion: 'v1', kind: 'Pod', now, meta });
          objects[i] = deepFreeze(r.object as Obj);
          applied++;
        } catch {
          conflicts++;
        }
        continue;
      }
      const status = what === 2;
      const updated = structuredClone(old);
      delete updated.metadata.managedFields;
      change(updated, status);
      // Some clients send the entries they read back unchanged.
      if (next(6) === 0) updated.metadata.managedFields = structuredClone(old.metadata.managedFields);
      const opts = { apiVersion: 'v1', meta, manager, now, ...(status ? { subresource: 'status' } : {}) };
      const entries = recordUpdate({ ...opts, old, updated: structuredClone(updated) });
      const reordered = structuredClone(old);
      reordered.metadata.managedFields = (old.metadata.managedFields as ManagedFieldsEntry[]).map((e) => Object.fromEntries(Object.entries(e).reverse()));
      const general = recordUpdate({ ...opts, old: reordered, updated: structuredClone(updated) });
      assert.equal(canonical(entries), canonical(general), `round ${round}, object ${i}, ${manager}${status ? ' status' : ''}`);
      updated.metadata.managedFields = entries;
      objects[i] = deepFreeze(updated);
    }
  }
  assert.ok(applied > 100 && conflicts > 50, `${applied} applied, ${conflicts} conflicts`);
});

test('status writes of two pods whose kubelet entries hold different IPs, each adding a condition and the same IP (a hostNetwork pod\'s is its node\'s): each answer is the general path\'s, the new IP in both', () => {
  // The write changes two status members, conditions first: the scan of its changes must see
  // podIPs too (the member is changed, so it is in the key as it is, not left as each pod's own).
  const answers: string[] = [];
  for (const own of ['10.244.0.1', '10.244.0.2']) {
    const pod: JsonObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${own}`, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] }, status: { phase: 'Pending' } };
    (pod.metadata as JsonObject).managedFields = recordUpdate({ apiVersion: 'v1', meta, manager: 'creator', now: 1000, updated: structuredClone(pod) });
    const first = structuredClone(pod);
    delete (first.metadata as JsonObject).managedFields;
    first.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], podIP: own, podIPs: [{ ip: own }] };
    const frozen = deepFreeze(pod);
    (first.metadata as JsonObject).managedFields = recordUpdate({ apiVersion: 'v1', meta, manager: 'kubelet', now: 2000, old: frozen, updated: structuredClone(first), subresource: 'status' });
    const old = deepFreeze(first);
    const updated = structuredClone(old) as JsonObject & { status: JsonObject };
    delete (updated.metadata as JsonObject).managedFields;
    updated.status = { ...updated.status, conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }], podIPs: [{ ip: own }, { ip: '10.0.0.9' }] };
    const entries = recordUpdate({ apiVersion: 'v1', meta, manager: 'kubelet', now: 3000, old, updated: structuredClone(updated), subresource: 'status' });
    const reordered = structuredClone(old);
    (reordered.metadata as JsonObject).managedFields = ((old.metadata as JsonObject).managedFields as ManagedFieldsEntry[]).map((e) => Object.fromEntries(Object.entries(e).reverse()));
    const general = recordUpdate({ apiVersion: 'v1', meta, manager: 'kubelet', now: 3000, old: reordered, updated: structuredClone(updated), subresource: 'status' });
    assert.equal(canonical(entries), canonical(general), own);
    answers.push(canonical(entries));
  }
  for (const a of answers) assert.ok(a.includes('10.0.0.9'), a);
});
