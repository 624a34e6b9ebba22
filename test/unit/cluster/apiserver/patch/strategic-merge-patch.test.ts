import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch, StrategicMergePatchError } from '../../../../../src/cluster/apiserver/patch/strategic-merge-patch';
import type { JsonObject } from '../../../../../src/cluster/apiserver/patch/json-value';
import { nodeMeta, podMeta } from './pod-meta';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function pod(spec: JsonObject, metadata: JsonObject = {}, status?: JsonObject): JsonObject {
  const p: JsonObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nginx', namespace: 'default', ...metadata }, spec };
  if (status) p.status = status;
  return p;
}

interface Case {
  name: string;
  live: JsonObject;
  patch: JsonObject;
  want?: JsonObject;
  error?: { kind: string; message: string };
}

const nginx = (image = 'nginx:1.27') => ({
  name: 'nginx',
  image,
  ports: [{ containerPort: 80, protocol: 'TCP' }],
  imagePullPolicy: 'IfNotPresent',
  resources: {},
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
});
const c = (name: string, extra: JsonObject = {}) => ({ name, image: `${name}:1`, ...extra });

const cases: Case[] = [
  {
    // kubectl-1.32-request-log.txt, scenario misc [2]: `kubectl apply -f pod-v2.yaml` after `kubectl apply -f pod.yaml`.
    name: 'kubectl client-side apply: new image and label, ports kept',
    live: pod({ containers: [nginx()], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' }, { labels: { app: 'nginx' }, annotations: { [LAST_APPLIED]: 'old' } }),
    patch: {
      metadata: { annotations: { [LAST_APPLIED]: 'new\n' }, labels: { tier: 'web' } },
      spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ image: 'nginx:1.28', name: 'nginx' }] },
    },
    want: pod({ containers: [nginx('nginx:1.28')], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' }, { labels: { app: 'nginx', tier: 'web' }, annotations: { [LAST_APPLIED]: 'new\n' } }),
  },
  {
    // scenario [10]: first `kubectl apply` on an object made by `kubectl create` only adds the annotation.
    name: 'kubectl client-side apply: the missing annotation is patched in',
    live: pod({ containers: [nginx()] }, { labels: { app: 'nginx' } }),
    patch: { metadata: { annotations: { [LAST_APPLIED]: '{"kind":"Pod"}\n' } } },
    want: pod({ containers: [nginx()] }, { labels: { app: 'nginx' }, annotations: { [LAST_APPLIED]: '{"kind":"Pod"}\n' } }),
  },
  {
    name: 'kubectl patch: a label is merged in',
    live: pod({ containers: [c('a')] }, { labels: { app: 'nginx' } }),
    patch: { metadata: { labels: { x: 'y' } } },
    want: pod({ containers: [c('a')] }, { labels: { app: 'nginx', x: 'y' } }),
  },
  {
    name: 'null deletes a member',
    live: pod({ containers: [c('a')], nodeSelector: { disk: 'ssd' } }, { labels: { app: 'nginx', x: 'y' } }),
    patch: { metadata: { labels: { x: null } }, spec: { nodeSelector: null } },
    want: pod({ containers: [c('a')] }, { labels: { app: 'nginx' } }),
  },
  {
    name: 'containers merge by name; a new one is appended',
    live: pod({ containers: [c('a'), c('b')] }),
    patch: { spec: { containers: [{ name: 'b', image: 'b:2' }, { name: 'c', image: 'c:1' }] } },
    want: pod({ containers: [c('a'), { name: 'b', image: 'b:2' }, c('c')] }),
  },
  {
    name: 'without $setElementOrder, patched items follow the patch order and server-only items keep their place',
    live: pod({ containers: [c('a'), c('b'), c('c')] }),
    patch: { spec: { containers: [{ name: 'c', image: 'c:2' }, { name: 'a', image: 'a:2' }] } },
    want: pod({ containers: [c('b'), { name: 'c', image: 'c:2' }, { name: 'a', image: 'a:2' }] }),
  },
  {
    name: '$setElementOrder sets the order of the whole list',
    live: pod({ containers: [c('a'), c('b'), c('c')] }),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'b' }, { name: 'a' }], containers: [{ name: 'a', image: 'a:2' }] } },
    want: pod({ containers: [c('c'), c('b'), { name: 'a', image: 'a:2' }] }),
  },
  {
    // kubectl's three-way patch when one container is removed and another added: server-only items
    // are placed by the original list as apimachinery leaves it after deleting and appending in place.
    name: '$patch: delete with an addition and $setElementOrder',
    live: pod({ containers: [c('a'), c('b'), c('c')] }),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'd' }], containers: [{ name: 'd', image: 'd:1' }, { name: 'a', $patch: 'delete' }] } },
    want: pod({ containers: [c('b'), c('c'), c('d')] }),
  },
  {
    name: 'ports merge by containerPort, env by name, inside a container',
    live: pod({ containers: [c('a', { ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] })] }),
    patch: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 443 }], env: [{ name: 'B', value: '3' }] }] } },
    // New items not in the server's order go before the server-only ones (apimachinery's mergeSortedSlice).
    want: pod({ containers: [c('a', { ports: [{ containerPort: 443 }, { containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }, { name: 'B', value: '3' }] })] }),
  },
  {
    name: '$patch: delete removes the item with that key',
    live: pod({ containers: [c('a'), c('b')] }),
    patch: { spec: { containers: [{ name: 'a', $patch: 'delete' }] } },
    want: pod({ containers: [c('b')] }),
  },
  {
    name: '$patch: replace in a list makes the rest of the patch the list',
    live: pod({ containers: [c('a'), c('b')] }),
    patch: { spec: { containers: [{ name: 'z', image: 'z:1' }, { $patch: 'replace' }] } },
    want: pod({ containers: [{ name: 'z', image: 'z:1' }] }),
  },
  {
    name: '$patch: replace on a map replaces it',
    live: pod({ containers: [c('a')], nodeSelector: { disk: 'ssd', zone: 'a' } }),
    patch: { spec: { nodeSelector: { $patch: 'replace', zone: 'b' } } },
    want: pod({ containers: [c('a')], nodeSelector: { zone: 'b' } }),
  },
  {
    name: '$patch: delete on a map empties it',
    live: pod({ containers: [c('a')], affinity: { nodeAffinity: { x: 1 } } }),
    patch: { spec: { affinity: { $patch: 'delete' } } },
    want: pod({ containers: [c('a')], affinity: {} }),
  },
  {
    name: 'a list without a patch strategy is replaced (tolerations)',
    live: pod({ containers: [c('a')], tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }] }),
    patch: { spec: { tolerations: [{ key: 'c', operator: 'Exists' }] } },
    want: pod({ containers: [c('a')], tolerations: [{ key: 'c', operator: 'Exists' }] }),
  },
  {
    name: 'a scalar list with strategy merge is a union (finalizers)',
    live: pod({ containers: [c('a')] }, { finalizers: ['a', 'b'] }),
    patch: { metadata: { finalizers: ['c', 'a'] } },
    want: pod({ containers: [c('a')] }, { finalizers: ['c', 'a', 'b'] }),
  },
  {
    name: '$deleteFromPrimitiveList removes scalars',
    live: pod({ containers: [c('a')] }, { finalizers: ['a', 'b', 'c'] }),
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
    want: pod({ containers: [c('a')] }, { finalizers: ['a', 'c'] }),
  },
  {
    name: '$retainKeys clears the members not listed (volume source switch)',
    live: pod({ containers: [c('a')], volumes: [{ name: 'v', emptyDir: {} }] }),
    patch: { spec: { volumes: [{ name: 'v', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }] } },
    want: pod({ containers: [c('a')], volumes: [{ name: 'v', configMap: { name: 'cm' } }] }),
  },
  {
    // The kubelet's status manager patches with $setElementOrder/conditions and a uid precondition.
    name: 'kubelet status patch: conditions merge by type in $setElementOrder order',
    live: pod({ containers: [c('a')] }, { uid: 'u1' }, {
      phase: 'Pending',
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'False' },
        { type: 'ContainersReady', status: 'False' },
        { type: 'PodScheduled', status: 'True' },
      ],
    }),
    patch: {
      metadata: { uid: 'u1' },
      status: {
        '$setElementOrder/conditions': [{ type: 'PodReadyToStartContainers' }, { type: 'Initialized' }, { type: 'Ready' }, { type: 'ContainersReady' }, { type: 'PodScheduled' }],
        conditions: [{ type: 'PodReadyToStartContainers', status: 'True' }, { type: 'Ready', status: 'True' }, { type: 'ContainersReady', status: 'True' }],
        phase: 'Running',
      },
    },
    want: pod({ containers: [c('a')] }, { uid: 'u1' }, {
      phase: 'Running',
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True' },
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'True' },
        { type: 'ContainersReady', status: 'True' },
        { type: 'PodScheduled', status: 'True' },
      ],
    }),
  },
  {
    // A field the kubelet's diff dropped from a condition arrives as null: it is deleted from the
    // condition with that type, as in any map (apimachinery mergeMap, IgnoreUnmatchedNulls).
    name: 'null inside a list item merged by key deletes that member of the matching item',
    live: pod({ containers: [c('a')] }, {}, { conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'm' }, { type: 'PodScheduled', status: 'True' }] }),
    patch: { status: { conditions: [{ type: 'Ready', status: 'True', reason: null, message: null, notThere: null }] } },
    want: pod({ containers: [c('a')] }, {}, { conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }] }),
  },
  {
    name: 'null inside a list item merged by key, with $setElementOrder',
    live: pod({ containers: [c('a')] }, {}, { conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }, { type: 'PodScheduled', status: 'True' }] }),
    patch: { status: { '$setElementOrder/conditions': [{ type: 'Ready' }, { type: 'PodScheduled' }], conditions: [{ type: 'Ready', status: 'True', reason: null }] } },
    want: pod({ containers: [c('a')] }, {}, { conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }] }),
  },
  {
    // The scheduler's note: `lastProbeTime: null` deletes the key like any other null. kube-apiserver
    // then writes it back as null only because its typed PodCondition always serializes that field;
    // the patch itself deletes it.
    name: 'lastProbeTime: null in a condition patch deletes the key',
    live: pod({ containers: [c('a')] }, {}, { conditions: [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, reason: 'Unschedulable' }] }),
    patch: { status: { conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, reason: null }] } },
    want: pod({ containers: [c('a')] }, {}, { conditions: [{ type: 'PodScheduled', status: 'True' }] }),
  },
  {
    // apimachinery appends a new item as the patch has it: its nulls stay (kube-apiserver's typed decoding
    // is what drops them), unlike a new map member, whose nulls are discarded.
    name: 'nulls inside a newly appended list item are kept, as apimachinery appends the item unchanged',
    live: pod({ containers: [c('a')] }, {}, { conditions: [{ type: 'PodScheduled', status: 'True' }] }),
    patch: { status: { conditions: [{ type: 'Ready', status: 'False', lastProbeTime: null }] } },
    want: pod({ containers: [c('a')] }, {}, { conditions: [{ type: 'Ready', status: 'False', lastProbeTime: null }, { type: 'PodScheduled', status: 'True' }] }),
  },
  {
    // A $setElementOrder that names only some items is valid: it must hold the patch's items in the
    // same relative order; the other items are server-only and keep their place among the named ones.
    name: '$setElementOrder naming some items: a server-only item keeps its place between them',
    live: pod({ containers: [c('a')] }, {}, { conditions: [{ type: 'Initialized', status: 'True' }, { type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False' }] }),
    patch: { status: { '$setElementOrder/conditions': [{ type: 'Initialized' }, { type: 'Ready' }], conditions: [{ type: 'Ready', status: 'True' }] } },
    want: pod({ containers: [c('a')] }, {}, { conditions: [{ type: 'Initialized', status: 'True' }, { type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True' }] }),
  },
  {
    // New items have no place in the server's order, so they are taken before a server-only item
    // (mergeSortedSlice compares only items found in the live list).
    name: '$setElementOrder naming only new items: the server-only item goes after them',
    live: pod({ containers: [c('a')] }, {}, { conditions: [{ type: 'PodScheduled', status: 'True' }] }),
    patch: { status: { '$setElementOrder/conditions': [{ type: 'Initialized' }, { type: 'Ready' }], conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'False' }] } },
    want: pod({ containers: [c('a')] }, {}, { conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }] }),
  },
  {
    // Server-only items in a run stay together, after the named item that preceded them on the server.
    name: '$setElementOrder reorders named items; a run of server-only items stays after its predecessor',
    live: pod({ containers: [c('a'), c('b'), c('x'), c('y'), c('c'), c('d')] }),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }, { name: 'd' }, { name: 'c' }] } },
    want: pod({ containers: [c('b'), c('a'), c('x'), c('y'), c('d'), c('c')] }),
  },
  {
    name: '$setElementOrder naming an item in neither list ignores it',
    live: pod({ containers: [c('a'), c('c')] }),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'b' }, { name: 'a' }], containers: [{ name: 'c', image: 'c:2' }, { name: 'a', image: 'a:2' }] } },
    want: pod({ containers: [{ name: 'c', image: 'c:2' }, { name: 'a', image: 'a:2' }] }),
  },
  {
    // The server-only value is weighed against the next named value by their places on the server:
    // x was before c there, so it leads.
    name: '$setElementOrder of a primitive list (finalizers) orders the named values around a server-only one',
    live: pod({ containers: [c('a')] }, { finalizers: ['a', 'b', 'x', 'c'] }),
    patch: { metadata: { '$setElementOrder/finalizers': ['c', 'b', 'a'] } },
    want: pod({ containers: [c('a')] }, { finalizers: ['x', 'c', 'b', 'a'] }),
  },
  {
    name: '$setElementOrder of a primitive list with an addition and a $deleteFromPrimitiveList',
    live: pod({ containers: [c('a')] }, { finalizers: ['a', 'c', 'b'] }),
    patch: { metadata: { '$setElementOrder/finalizers': ['d', 'b', 'a'], finalizers: ['d'], '$deleteFromPrimitiveList/finalizers': ['c'] } },
    want: pod({ containers: [c('a')] }, { finalizers: ['d', 'b', 'a'] }),
  },
  {
    name: '$deleteFromPrimitiveList of a value not in the list adds nothing',
    live: pod({ containers: [c('a')] }, { finalizers: ['a', 'b'] }),
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['z'] } },
    want: pod({ containers: [c('a')] }, { finalizers: ['a', 'b'] }),
  },
  {
    name: '$deleteFromPrimitiveList of a list the object does not have adds no list',
    live: pod({ containers: [c('a')] }),
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['z'] } },
    want: pod({ containers: [c('a')] }),
  },
  {
    name: '$deleteFromPrimitiveList works on a list without the merge strategy too',
    live: pod({ containers: [{ name: 'a', image: 'a:1', args: ['x', 'y', 'z'] }] }),
    patch: { spec: { containers: [{ name: 'a', '$deleteFromPrimitiveList/args': ['y'] }] } },
    want: pod({ containers: [{ name: 'a', image: 'a:1', args: ['x', 'z'] }] }),
  },
  {
    name: '$retainKeys with a null member: the null deletes, the rest not retained is cleared',
    live: pod({ containers: [c('a')], volumes: [{ name: 'v', hostPath: { path: '/x' }, emptyDir: {} }] }),
    patch: { spec: { volumes: [{ name: 'v', $retainKeys: ['name', 'emptyDir'], hostPath: null }] } },
    want: pod({ containers: [c('a')], volumes: [{ name: 'v', emptyDir: {} }] }),
  },
  {
    name: 'kubectl cordon on a Node',
    live: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: { podCIDR: '10.244.1.0/24' } },
    patch: { spec: { unschedulable: true } },
    want: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: { podCIDR: '10.244.1.0/24', unschedulable: true } },
  },
  {
    name: 'a value of another type replaces',
    live: pod({ containers: [c('a')], nodeSelector: { a: 'b' } }),
    patch: { spec: { nodeSelector: 'x' } },
    want: pod({ containers: [c('a')], nodeSelector: 'x' }),
  },
  {
    name: 'nulls inside a new member are dropped, directives in it too',
    live: pod({ containers: [c('a')] }),
    patch: { spec: { affinity: { nodeAffinity: null, podAffinity: { x: 1 }, '$setElementOrder/y': [] } } },
    want: pod({ containers: [c('a')], affinity: { podAffinity: { x: 1 } } }),
  },
  {
    name: 'error: an item without its merge key',
    live: pod({ containers: [c('a')] }),
    patch: { spec: { containers: [{ image: 'x' }] } },
    error: { kind: 'Internal', message: 'map: map[image:x] does not contain declared merge key: name' },
  },
  {
    name: 'error: a member outside $retainKeys',
    live: pod({ containers: [c('a')], volumes: [{ name: 'v', emptyDir: {} }] }),
    patch: { spec: { volumes: [{ name: 'v', $retainKeys: ['name'], configMap: { name: 'cm' } }] } },
    error: { kind: 'BadRequest', message: 'invalid patch format of retainKeys' },
  },
  {
    name: 'error: $patch: merge in a list',
    live: pod({ containers: [c('a')] }),
    patch: { spec: { containers: [{ name: 'a', $patch: 'merge' }] } },
    error: { kind: 'Internal', message: 'merging lists cannot yet be specified in the patch' },
  },
  {
    name: 'error: an unknown $patch on a map',
    live: pod({ containers: [c('a')], nodeSelector: {} }),
    patch: { spec: { nodeSelector: { $patch: 'bogus' } } },
    error: { kind: 'Internal', message: 'unknown patch type: bogus in map: map[$patch:bogus]' },
  },
  {
    name: 'error: the patch list out of $setElementOrder order',
    live: pod({ containers: [c('a'), c('b')] }),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'b', image: 'b:2' }, { name: 'a', image: 'a:2' }] } },
    error: { kind: 'Internal', message: "The order in patch list:\n[map[image:b:2 name:b] map[image:a:2 name:a]]\n doesn't match $setElementOrder list:\n[map[name:a] map[name:b]]\n" },
  },
  {
    name: 'error: $setElementOrder that is not a list',
    live: pod({ containers: [c('a')] }),
    patch: { spec: { '$setElementOrder/containers': 'a' } },
    error: { kind: 'Internal', message: 'expected a []interface {}, but received a string' },
  },
  {
    name: 'error: a list of lists',
    live: pod({ containers: [c('a')] }, { finalizers: [['a']] }),
    patch: { metadata: { finalizers: [['b']] } },
    error: { kind: 'Invalid', message: 'lists of lists are not supported' },
  },
];

for (const k of cases) {
  test(`strategic merge patch: ${k.name}`, () => {
    const meta = k.live.kind === 'Node' ? nodeMeta : podMeta;
    const before = JSON.stringify([k.live, k.patch]);
    if (k.error) {
      assert.throws(
        () => applyStrategicMergePatch(k.live, k.patch, meta),
        (err: unknown) => err instanceof StrategicMergePatchError && err.kind === k.error!.kind && err.message === k.error!.message,
      );
    } else {
      assert.deepEqual(applyStrategicMergePatch(k.live, k.patch, meta), k.want);
    }
    assert.equal(JSON.stringify([k.live, k.patch]), before, 'inputs are not modified');
  });
}
