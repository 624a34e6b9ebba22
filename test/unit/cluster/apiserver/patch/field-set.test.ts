import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet, fieldPath, pathToString, type FieldPath } from '../../../../../src/cluster/apiserver/patch/field-set';
import { applyConflictError } from '../../../../../src/cluster/apiserver/patch/managed-fields';
import { TypedWalker } from '../../../../../src/cluster/apiserver/patch/typed-value';
import { podMeta } from './pod-meta';

// The kubectl-run entry of a real 1.32 cluster: `.` marks a path that is itself owned and has children.
const kubectlRun = {
  'f:metadata': { 'f:labels': { '.': {}, 'f:run': {} } },
  'f:spec': {
    'f:containers': {
      'k:{"name":"web"}': {
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
    'f:enableServiceLinks': {},
    'f:restartPolicy': {},
    'f:schedulerName': {},
    'f:securityContext': {},
    'f:terminationGracePeriodSeconds': {},
  },
};

test('FieldsV1 reads and writes back unchanged, key order included', () => {
  const set = FieldSet.fromFieldsV1(kubectlRun);
  assert.equal(JSON.stringify(set.toFieldsV1()), JSON.stringify(kubectlRun));
  assert.ok(set.has(fieldPath('metadata', 'labels')));
  assert.ok(set.has([...fieldPath('spec', 'containers'), { key: [['name', 'web']] }]));
  assert.ok(!set.has(fieldPath('spec')));
});

test('path elements sort fields by name, then keys by value (numbers numerically), then set values', () => {
  const set = new FieldSet([
    [...fieldPath('spec', 'ports'), { key: [['port', 443]] }],
    [...fieldPath('spec', 'ports'), { key: [['port', 80]] }],
    [...fieldPath('metadata', 'finalizers'), { value: 'b' }],
    [...fieldPath('metadata', 'finalizers'), { value: 'a' }],
    fieldPath('metadata', 'finalizers'),
  ]);
  assert.equal(
    JSON.stringify(set.toFieldsV1()),
    JSON.stringify({
      'f:metadata': { 'f:finalizers': { '.': {}, 'v:"a"': {}, 'v:"b"': {} } },
      'f:spec': { 'f:ports': { 'k:{"port":80}': {}, 'k:{"port":443}': {} } },
    }),
  );
});

test('paths print as conflicts name them', () => {
  const cases: [FieldPath, string][] = [
    [[...fieldPath('spec', 'containers'), { key: [['name', 'nginx']] }, { field: 'image' }], '.spec.containers[name="nginx"].image'],
    [[...fieldPath('spec', 'containers'), { key: [['name', 'a']] }, { field: 'ports' }, { key: [['containerPort', 80], ['protocol', 'TCP']] }], '.spec.containers[name="a"].ports[containerPort=80,protocol="TCP"]'],
    [[...fieldPath('metadata', 'finalizers'), { value: 'x' }], '.metadata.finalizers[="x"]'],
  ];
  for (const [p, s] of cases) assert.equal(pathToString(p), s);
});

test('key and set values print as structured-merge-diff prints values, whatever members an object value has', () => {
  const cases: [unknown, string][] = [
    // A map value: its pairs run together; never the object's own toString (here not even a function).
    [{ toString: 'x', a: 1 }, '[k=a=1toString="x"]'],
    [[1, 'x', null, true], '[k=[1,"x",null,true]]'],
    [null, '[k=null]'],
    [0.5, '[k=0.5]'],
    [1234567.5, '[k=1.2345675e+06]'],
    [1e-7, '[k=1e-07]'],
    [1e21, '[k=1e+21]'],
    // Go's %q: printable characters stay, control characters are escaped as Go escapes them.
    ['é\u0001\t"\u2028', '[k="é\\x01\\t\\"\\u2028"]'],
  ];
  for (const [value, printed] of cases) assert.equal(pathToString([{ key: [['k', value]] }]), printed);
  assert.equal(pathToString([{ value: { toString: 1 } }]), '[=toString=1]');
  // The conflict message and its cause name such a path instead of failing with a TypeError.
  const err = applyConflictError([{ manager: { manager: 'a', operation: 'Apply', apiVersion: 'v1', fields: new FieldSet() }, path: [...fieldPath('spec', 'items'), { key: [['name', { toString: 'x' }]] }] }]);
  assert.equal(err.status.message, 'Apply failed with 1 conflict: conflict with "a": .spec.items[name=toString="x"]');
  assert.equal(err.status.details?.causes?.[0]?.field, '.spec.items[name=toString="x"]');
});

test('iteration puts the paths ending at a level before those going deeper', () => {
  const set = new FieldSet([fieldPath('spec', 'containers', 'image'), fieldPath('metadata', 'labels', 'app'), fieldPath('apiVersion'), fieldPath('spec', 'nodeName')]);
  assert.deepEqual(set.list().map(pathToString), ['.apiVersion', '.metadata.labels.app', '.spec.nodeName', '.spec.containers.image']);
});

test('an object\'s field set: leaves, keyed items with their defaulted keys, set items, empty maps', () => {
  const walker = new TypedWalker(podMeta);
  const set = walker.toFieldSet({
    metadata: { finalizers: ['x'], labels: { app: 'a' } },
    spec: { containers: [{ name: 'c', ports: [{ containerPort: 8080 }], resources: {}, args: ['a', 'b'] }], tolerations: [{ key: 'k' }] },
  });
  assert.deepEqual(set.toFieldsV1(), {
    'f:metadata': { 'f:finalizers': { 'v:"x"': {} }, 'f:labels': { 'f:app': {} } },
    'f:spec': {
      'f:containers': {
        'k:{"name":"c"}': {
          '.': {},
          'f:args': {},
          'f:name': {},
          'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
          'f:resources': {},
        },
      },
      'f:tolerations': {},
    },
  });
});

test('merging keeps live items with duplicated keys unless the configuration sets that key', () => {
  const walker = new TypedWalker(podMeta);
  const live = { spec: { containers: [{ name: 'c', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'A', value: '3' }] }] } };
  const untouched = walker.merge(live, { spec: { containers: [{ name: 'c', image: 'x' }] } });
  assert.deepEqual(untouched, { spec: { containers: [{ name: 'c', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'A', value: '3' }], image: 'x' }] } });
  const set = walker.merge(live, { spec: { containers: [{ name: 'c', env: [{ name: 'A', value: '9' }] }] } });
  assert.deepEqual(set, { spec: { containers: [{ name: 'c', env: [{ name: 'A', value: '9' }, { name: 'B', value: '2' }] }] } });
});

test('merging places new applied items as structured-merge-diff does', () => {
  const walker = new TypedWalker(podMeta);
  const names = (o: Record<string, unknown>) => ((o.spec as Record<string, unknown>).containers as { name: string }[]).map((c) => c.name);
  const live = { spec: { containers: ['a', 'b', 'c'].map((name) => ({ name })) } };
  assert.deepEqual(names(walker.merge(live, { spec: { containers: [{ name: 'x' }, { name: 'b' }] } })), ['a', 'x', 'b', 'c']);
  assert.deepEqual(names(walker.merge(live, { spec: { containers: [{ name: 'c' }, { name: 'a' }] } })), ['b', 'c', 'a']);
});

test('signature: equal exactly for sets of the same paths, whatever the order they were added in', () => {
  const a = new FieldSet([fieldPath('status', 'phase'), fieldPath('status', 'podIP')]);
  const b = new FieldSet([fieldPath('status', 'podIP'), fieldPath('status', 'phase')]);
  assert.equal(a.signature(), b.signature());
  const distinct = [
    new FieldSet(),
    new FieldSet([fieldPath('status')]),
    new FieldSet([fieldPath('status', 'phase')]),
    new FieldSet([fieldPath('status', 'phase'), fieldPath('status')]),
    // Names that would run together if the text did not mark where each ends.
    new FieldSet([fieldPath('a|1:f:b')]),
    new FieldSet([fieldPath('a'), fieldPath('b')]),
    new FieldSet([fieldPath('a', 'b')]),
    new FieldSet([[{ key: [['name', 'web']] }]]),
  ];
  const texts = distinct.map((s) => s.signature());
  assert.equal(new Set(texts).size, texts.length);
});

test('withoutPrefixes drops the paths at or below a prefix, and is the set itself when it drops none', () => {
  const k = (name: string): FieldPath => [{ field: 'spec' }, { field: 'containers' }, { key: [['name', name]] }];
  const set = new FieldSet([fieldPath('metadata', 'labels', 'app'), fieldPath('spec'), [...k('a'), { field: 'image' }], fieldPath('status', 'phase'), fieldPath('metadata', 'deletionTimestamp'), k('b'), fieldPath('status', 'podIP')]);
  const reset = new FieldSet([fieldPath('spec'), fieldPath('metadata', 'deletionTimestamp')]);
  const kept = set.withoutPrefixes(reset);
  assert.deepEqual(kept.list().map(pathToString), ['.metadata.labels.app', '.status.phase', '.status.podIP']);
  assert.equal(set.size, 7);
  const none = new FieldSet([fieldPath('status', 'phase'), fieldPath('metadata', 'labels', 'app'), fieldPath('metadata', 'deletionGracePeriodSeconds')]);
  assert.equal(none.withoutPrefixes(reset), none);
  // A prefix set used again after it changed drops by what it holds now.
  reset.insert(fieldPath('status'));
  assert.deepEqual(none.withoutPrefixes(reset).list().map(pathToString), ['.metadata.deletionGracePeriodSeconds', '.metadata.labels.app']);
  // Keyed prefixes (a list item) drop what is below them.
  const items = new FieldSet([[...k('a'), { field: 'image' }], k('b'), fieldPath('status')]);
  assert.deepEqual(items.withoutPrefixes(new FieldSet([k('a')])).list().map(pathToString), ['.status', '.spec.containers[name="b"]']);
});

test('a set gives its paths and their keys in the order they were inserted, as its entries hold them', () => {
  const set = FieldSet.fromFieldsV1(kubectlRun);
  set.insert(fieldPath('status', 'phase'));
  const entries = [...set.entries()];
  assert.deepEqual([...set.values()], entries.map(([, path]) => path));
  assert.deepEqual([...set.keys()], entries.map(([key]) => key));
  assert.equal(set.keys().next().value, entries[0]![0]);
  assert.equal([...set.keys()].at(-1), 'f:status\u0000f:phase');
});
