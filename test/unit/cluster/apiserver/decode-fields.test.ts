/**
 * Type check and unknown fields in one walk (schema/unknown-fields.ts decodeFields with
 * decode-types.ts decodeCheck) answer exactly as the two separate walks do: the first type error
 * (apiVersion and kind not checked) and, when there is none, the unknown fields.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFieldIndex } from '../../../../src/schema/field-index';
import { decodeFields, findUnknownFields } from '../../../../src/schema/unknown-fields';
import { decodeCheck, findTypeMismatch } from '../../../../src/cluster/apiserver/decode-types';
import { deepFreeze } from '../../../../src/cluster/api/deep-freeze';

const index = loadFieldIndex();
const check = decodeCheck(index);

function separately(gvk: { group: string; version: string; kind: string }, object: Record<string, unknown>): { unknown: string[]; error?: string } {
  const root = index.schemaForKind(gvk)!.name;
  const { apiVersion: _a, kind: _k, ...rest } = object;
  const error = findTypeMismatch(index, root, rest);
  return error !== undefined ? { unknown: [], error } : { unknown: findUnknownFields(index, gvk, object) };
}

const POD = { group: '', version: 'v1', kind: 'Pod' };
const EVENT = { group: '', version: 'v1', kind: 'Event' };

function pod(): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', labels: { app: 'web' }, annotations: { a: 'b' }, ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u' }] },
    spec: {
      containers: [
        { name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '100m', memory: 1024 } }, env: [{ name: 'A', value: '1' }] },
      ],
      tolerations: [{ key: 'k', operator: 'Exists', tolerationSeconds: 5 }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'z', operator: 'In', values: ['a'] }] }] } } },
      overhead: { cpu: '1' },
    },
    status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
  };
}

/** Every path to a value in `v` (as [parent, key] pairs). */
function slots(v: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): [Record<string, unknown> | unknown[], string | number][] {
  if (Array.isArray(v)) v.forEach((item, i) => { out.push([v, i]); slots(item, out); });
  else if (v !== null && typeof v === 'object') for (const [k, item] of Object.entries(v)) { out.push([v as Record<string, unknown>, k]); slots(item, out); }
  return out;
}

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const WRONG: unknown[] = [1, 1.5, 'text', true, {}, [], [1], { x: 1 }, null, 2 ** 40];

test('one walk finds what the type walk and the unknown-field walk find, on mutated manifests', () => {
  const rand = random(7);
  for (let round = 0; round < 400; round++) {
    const object = round % 5 === 4 ? { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { name: 'p' }, count: 1, source: { host: 'n' } } : pod();
    const gvk = object.kind === 'Event' ? EVENT : POD;
    const mutations = 1 + Math.floor(rand() * 4);
    for (let m = 0; m < mutations; m++) {
      const all = slots(object);
      const [parent, key] = all[Math.floor(rand() * all.length)]!;
      const what = rand();
      if (what < 0.4) (parent as Record<string | number, unknown>)[key] = WRONG[Math.floor(rand() * WRONG.length)];
      else if (what < 0.8 && !Array.isArray(parent)) parent[`unknown${m}`] = rand() < 0.5 ? 1 : { deeper: 1 };
      else if (!Array.isArray(parent)) for (let i = 0; i < 120; i++) parent[`many${i}`] = i;
    }
    assert.deepEqual(decodeFields(index, gvk, object, check), separately(gvk, object), JSON.stringify(object));
  }
});

test('apiVersion and kind are not type-checked, and a type error wins over unknown fields before it', () => {
  const object = { apiVersion: 1, kind: [], metadata: { name: 'web', extra: 1 }, spec: { containers: 'no' } };
  const found = decodeFields(index, POD, object, check);
  assert.equal(found.error, 'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container');
  assert.deepEqual(found, separately(POD, object));
  assert.deepEqual(decodeFields(index, POD, { apiVersion: 1, kind: [], metadata: { name: 'web', extra: 1 } }, check), { unknown: ['metadata.extra'] });
});

/**
 * A frozen member of the object (a pod's spec, kept across its status writes) that the walk found
 * clean is not walked again under the same schema node; what the walk finds must not change.
 */
test('a frozen spec found clean once still reports what it holds under another field, or once a mutable part inside it changed', () => {
  const spec = deepFreeze({ containers: [{ name: 'web', image: 'nginx' }] });
  const first = pod();
  first.spec = spec;
  assert.deepEqual(decodeFields(index, POD, first, check), { unknown: [] });
  assert.deepEqual(decodeFields(index, POD, first, check), { unknown: [] });
  // The same frozen object where the status belongs: `containers` is no PodStatus field.
  const moved = pod();
  moved.status = spec;
  assert.deepEqual(decodeFields(index, POD, moved, check), { unknown: ['status.containers'] });
  // A frozen spec with a type error reports it every time.
  const wrong = pod();
  wrong.spec = deepFreeze({ containers: [], securityContext: { runAsUser: 'root' } });
  const expected = 'json: cannot unmarshal string into Go struct field PodSecurityContext.spec.securityContext.runAsUser of type int64';
  assert.equal(decodeFields(index, POD, wrong, check).error, expected);
  assert.equal(decodeFields(index, POD, wrong, check).error, expected);

  const env: Record<string, unknown>[] = [{ name: 'A', value: '1' }];
  const outer = pod();
  outer.spec = Object.freeze({ containers: Object.freeze([Object.freeze({ name: 'web', image: 'nginx', env })]) });
  assert.deepEqual(decodeFields(index, POD, outer, check), { unknown: [] });
  env[0]!.valu = '2';
  assert.deepEqual(decodeFields(index, POD, outer, check), { unknown: ['spec.containers[0].env[0].valu'] });
});

/**
 * The memory of clean values holds a bounded number of them: one entry for every pod's spec, kept
 * in a WeakMap, cost ~29 bytes a pod (4.3 MB at 150,000 pods), and V8 never shrinks a WeakMap's
 * table once the pods are gone. A value walked again while it is remembered stays remembered.
 */
test('the clean values remembered are the recent ones: a spec not met since many others were found clean is walked again, one met again is not', () => {
  let calls = 0;
  const counting: typeof check = (node, def, value, at) => {
    calls++;
    return check(node, def, value, at);
  };
  const walked = (spec: object): number => {
    calls = 0;
    assert.deepEqual(decodeFields(index, POD, { apiVersion: 'v1', kind: 'Pod', spec }, counting), { unknown: [] });
    return calls;
  };
  const kept = deepFreeze({ containers: [{ name: 'web', image: 'nginx' }] });
  const forgotten = deepFreeze({ containers: [{ name: 'web', image: 'nginx' }] });
  assert.ok(walked(kept) > 0);
  assert.ok(walked(forgotten) > 0);
  assert.equal(walked(kept), 0, 'remembered');
  assert.equal(walked(forgotten), 0, 'remembered');
  for (let i = 0; i < 100_000; i++) {
    walked(deepFreeze({ containers: [{ name: `c-${i}`, image: 'nginx' }] }));
    if (i % 1000 === 0) assert.equal(walked(kept), 0, 'met again: still remembered');
  }
  assert.ok(walked(forgotten) > 0, 'not met since 100,000 others: walked again');
  assert.equal(walked(kept), 0);
});
