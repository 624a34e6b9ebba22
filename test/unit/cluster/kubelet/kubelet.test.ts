import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { EVENTS, LEASES, NODES, PODS } from '../../../../src/cluster/client/client';
import type { Node, Pod } from '../../../../src/cluster/api/types';

async function cluster(nodes = 2): Promise<{ cluster: Cluster; clock: ManualClock }> {
  const clock = new ManualClock();
  const c = await Cluster.start({ clock, nodes });
  return { cluster: c, clock };
}

test('--nodes 2 registers node-1 and node-2, Ready, with their labels, capacity and nodeInfo', async () => {
  const { cluster: c, clock } = await cluster(2);
  try {
    await clock.advance(1000);
    const nodes = (await c.client().resource<Node>(NODES).list()).items;
    assert.deepEqual(nodes.map((n) => n.metadata.name), ['node-1', 'node-2']);
    const n = nodes[0]!;
    assert.equal(n.metadata.labels!['kubernetes.io/hostname'], 'node-1');
    assert.equal(n.metadata.labels!['kubernetes.io/os'], 'linux');
    assert.equal(n.spec!.podCIDR, '10.244.1.0/24');
    assert.equal(n.spec!.taints, undefined);
    assert.deepEqual(n.status!.capacity, { cpu: '4', 'ephemeral-storage': '61255492Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '8Gi', pods: '110' });
    assert.equal(n.status!.nodeInfo!.containerRuntimeVersion, 'kube-sim://0.1.0');
    assert.equal(n.status!.nodeInfo!.kubeletVersion, 'v1.32.4');
    assert.deepEqual(n.status!.conditions!.map((x) => `${x.type}=${x.status} ${x.reason}`), [
      'MemoryPressure=False KubeletHasSufficientMemory', 'DiskPressure=False KubeletHasNoDiskPressure', 'PIDPressure=False KubeletHasSufficientPID', 'Ready=True KubeletReady',
    ]);
    assert.deepEqual(n.status!.addresses, [{ type: 'InternalIP', address: '172.18.0.3' }, { type: 'Hostname', address: 'node-1' }]);
    const lease = await c.client().resource(LEASES).get('node-1', { namespace: 'kube-node-lease' });
    assert.equal((lease.spec as any).leaseDurationSeconds, 40);
    assert.equal((lease.spec as any).holderIdentity, 'node-1');
    assert.deepEqual(lease.metadata.ownerReferences!.map((o) => `${o.kind}/${o.name}/${o.uid}`), [`Node/node-1/${n.metadata.uid}`]);
    // As a 1.32 kubelet's lease records it: the ownerReference (an atomic map) is one field.
    assert.deepEqual(lease.metadata.managedFields!.map((e) => [e.manager, e.fieldsV1]), [['kubelet', {
      'f:metadata': { 'f:ownerReferences': { '.': {}, [`k:{"uid":"${n.metadata.uid}"}`]: {} } },
      'f:spec': { 'f:holderIdentity': {}, 'f:leaseDurationSeconds': {}, 'f:renewTime': {} },
    }]]);
    const events = (await c.client().resource(EVENTS).list({ namespace: 'default' })).items.filter((e: any) => e.involvedObject.name === 'node-1' && e.source.component === 'kubelet');
    assert.deepEqual(events.map((e: any) => e.reason), ['Starting', 'NodeAllocatableEnforced', 'NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID', 'NodeReady']);
    assert.equal((events[0] as any).involvedObject.uid, 'node-1', "the kubelet's node reference carries the node name as uid");
    assert.equal((events[5] as any).message, 'Node node-1 status is now: NodeReady');
    const registered = (await c.client().resource(EVENTS).list({ namespace: 'default' })).items.filter((e: any) => e.involvedObject.name === 'node-1' && e.source.component === 'node-controller');
    assert.deepEqual(registered.map((e: any) => e.message), ['Node node-1 event: Registered Node node-1 in Controller']);
  } finally {
    await c.stop();
  }
});

test("a Node's managedFields as a 1.32 cluster's: the kubelet's registration, kube-controller-manager's TTL annotation and pod CIDR, the kubelet's status writes", async () => {
  const { cluster: c, clock } = await cluster(1);
  try {
    await clock.advance(1000);
    const entries = async () => (await c.client().resource<Node>(NODES).get('node-1')).metadata.managedFields!.map(({ time: _time, ...e }) => e);
    const kubeControllerManager = {
      manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:annotations': { 'f:node.alpha.kubernetes.io/ttl': {} } },
        'f:spec': { 'f:podCIDR': {}, 'f:podCIDRs': { '.': {}, 'v:"10.244.1.0/24"': {} } },
      },
    };
    const kubelet = {
      manager: 'kubelet', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': {
          'f:annotations': { '.': {}, 'f:volumes.kubernetes.io/controller-managed-attach-detach': {} },
          'f:labels': { '.': {}, 'f:beta.kubernetes.io/arch': {}, 'f:beta.kubernetes.io/os': {}, 'f:kubernetes.io/arch': {}, 'f:kubernetes.io/hostname': {}, 'f:kubernetes.io/os': {} },
        },
      },
    };
    // Same second: kube-apiserver orders the entries by operation, time, then manager.
    assert.deepEqual(await entries(), [kubeControllerManager, kubelet]);
    const node = await c.client().resource<Node>(NODES).get('node-1');
    assert.deepEqual(node.metadata.annotations, { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true', 'node.alpha.kubernetes.io/ttl': '0' });
    assert.deepEqual([node.spec!.podCIDR, node.spec!.podCIDRs], ['10.244.1.0/24', ['10.244.1.0/24']]);
    const writes = c.audit.query({ user: 'system:kube-controller-manager' }).filter((r) => r.resource === 'nodes' && r.verb !== 'list' && r.verb !== 'watch');
    assert.deepEqual(writes.map((r) => `${r.verb} ${r.resource}${r.subresource ? '/' + r.subresource : ''} ${r.code}`), ['patch nodes 200']);
    // The kubelet's next status report (nodeStatusReportFrequency, 5 min) is a nodes/status write:
    // the heartbeat times it changed are its own, in an entry of its own.
    await clock.advance(300_000);
    const heartbeat = { 'f:lastHeartbeatTime': {} };
    assert.deepEqual(await entries(), [kubeControllerManager, kubelet, {
      manager: 'kubelet', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', subresource: 'status',
      fieldsV1: { 'f:status': { 'f:conditions': { 'k:{"type":"DiskPressure"}': heartbeat, 'k:{"type":"MemoryPressure"}': heartbeat, 'k:{"type":"PIDPressure"}': heartbeat, 'k:{"type":"Ready"}': heartbeat } } },
    }]);
  } finally {
    await c.stop();
  }
});

test('kube-controller-manager gives a Node the TTL annotation again if a user removes it, and no pod CIDR to a Node without a simulated kubelet', async () => {
  const { cluster: c, clock } = await cluster(1);
  try {
    const nodes = c.client().resource<Node>(NODES);
    await nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'external' } });
    await nodes.patch('node-1', 'merge', { metadata: { annotations: { 'node.alpha.kubernetes.io/ttl': null } } });
    await clock.advance(1000);
    const external = await nodes.get('external');
    assert.deepEqual([external.metadata.annotations, external.spec?.podCIDR], [{ 'node.alpha.kubernetes.io/ttl': '0' }, undefined]);
    assert.equal((await nodes.get('node-1')).metadata.annotations!['node.alpha.kubernetes.io/ttl'], '0');
  } finally {
    await c.stop();
  }
});

test('a kubelet becomes Ready in two writes: the Node created with its status (as initialNode), then its Lease', async () => {
  const { cluster: c } = await cluster(1);
  try {
    const writes = c.audit.query({ user: 'system:node:node-1' }).filter((r) => r.resource !== 'events' && r.verb !== 'list' && r.verb !== 'watch');
    assert.deepEqual(writes.map((r) => `${r.verb} ${r.resource}${r.subresource ? '/' + r.subresource : ''} ${r.code}`), ['create nodes 201', 'create leases 201']);
  } finally {
    await c.stop();
  }
});

test('a restarted kubelet adopts its Node: the create conflicts, the Node is read and its status patched', async () => {
  const { cluster: c, clock } = await cluster(1);
  try {
    c.nodes.stopKubelet('node-1');
    await clock.advance(60_000);
    const since = c.audit.query({}).at(-1)!.id;
    await c.nodes.startKubelet('node-1');
    await clock.advance(0);
    const writes = c.audit.query({ user: 'system:node:node-1', sinceId: since }).filter((r) => r.resource !== 'events' && r.verb !== 'list' && r.verb !== 'watch');
    assert.deepEqual(writes.map((r) => `${r.verb} ${r.resource}${r.subresource ? '/' + r.subresource : ''} ${r.code}`), ['create nodes 409', 'get nodes 200', 'patch nodes/status 200', 'update leases 200']);
  } finally {
    await c.stop();
  }
});

test('a new kubelet that finds a Lease of its name takes it over', async () => {
  const { cluster: c, clock } = await cluster(1);
  try {
    const leases = c.client().resource(LEASES);
    await leases.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node-7', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'old', leaseDurationSeconds: 40 } }, { namespace: 'kube-node-lease' });
    await c.nodes.add({ name: 'node-7' });
    await clock.advance(0);
    const writes = c.audit.query({ user: 'system:node:node-7' }).filter((r) => r.resource !== 'events' && r.verb !== 'list' && r.verb !== 'watch');
    assert.deepEqual(writes.map((r) => `${r.verb} ${r.resource} ${r.code}`), ['create nodes 201', 'create leases 409', 'get leases 200', 'update leases 200']);
    const lease = await leases.get('node-7', { namespace: 'kube-node-lease' });
    assert.equal((lease.spec as any).holderIdentity, 'node-7');
    assert.equal(Date.parse((lease.spec as any).renewTime), clock.now());
  } finally {
    await c.stop();
  }
});

test('the lease is renewed every 10 s', async () => {
  const { cluster: c, clock } = await cluster(1);
  try {
    const leases = c.client().resource(LEASES);
    const before = ((await leases.get('node-1', { namespace: 'kube-node-lease' })).spec as any).renewTime;
    await clock.advance(10_000);
    const after = ((await leases.get('node-1', { namespace: 'kube-node-lease' })).spec as any).renewTime;
    assert.equal(Date.parse(after) - Date.parse(before), 10_000);
  } finally {
    await c.stop();
  }
});

test('a pod bound to a node runs: status through pods/status, events from the kubelet, logs from the runtime', async () => {
  const { cluster: c, clock } = await cluster(1);
  try {
    const pods = c.client().resource<Pod>(PODS);
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'counter', namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'count', image: 'busybox:1.36', command: ['sh', '-c', 'i=0; while true; do echo "$i"; i=$((i+1)); sleep 1; done'] }] } });
    await clock.advance(10_000);
    const pod = await pods.get('counter', { namespace: 'default' });
    assert.equal(pod.status!.phase, 'Running');
    assert.equal(pod.status!.conditions!.find((x) => x.type === 'Ready')!.status, 'True');
    assert.match(pod.status!.podIP!, /^10\.244\.1\.\d+$/);
    const events = (await c.client().resource(EVENTS).list({ namespace: 'default' })).items.filter((e: any) => e.involvedObject.name === 'counter');
    assert.deepEqual(events.map((e: any) => e.reason), ['Pulling', 'Pulled', 'Created', 'Started']);
    assert.deepEqual((events[0] as any).source, { component: 'kubelet', host: 'node-1' });
    assert.equal((events[0] as any).involvedObject.fieldPath, 'spec.containers{count}');
    const log = c.nodes.open('default', 'counter', 'count', {});
    assert.deepEqual(log.lines().slice(0, 3).map((l) => l.text), ['0', '1', '2']);
    await pods.delete('counter', { namespace: 'default' });
    await clock.advance(35_000);
    await assert.rejects(pods.get('counter', { namespace: 'default' }), /not found/);
  } finally {
    await c.stop();
  }
});

test('kubectl logs of a container whose image cannot be pulled says so in the kubelet words', async () => {
  const { cluster: c, clock } = await cluster(1);
  try {
    const pods = c.client().resource<Pod>(PODS);
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nope', namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'registry.example/does-not-exist:1.0' }] } });
    const waiting = async () => (await pods.get('nope', { namespace: 'default' })).status?.containerStatuses?.[0]?.state?.waiting?.reason;
    for (let i = 0; i < 60 && (await waiting()) !== 'ImagePullBackOff'; i++) await clock.advance(1000);
    assert.equal(await waiting(), 'ImagePullBackOff');
    await assert.rejects(pods.getText('nope', 'log', { namespace: 'default' }), { message: 'container "app" in pod "nope" is waiting to start: trying and failing to pull image' });
    // The first failure, before the back-off, reads as the kubelet words ErrImagePull.
    await pods.patch('nope', 'merge', { status: { containerStatuses: [{ name: 'app', image: 'registry.example/does-not-exist:1.0', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ErrImagePull' } } }] } }, { namespace: 'default', subresource: 'status' });
    await assert.rejects(pods.getText('nope', 'log', { namespace: 'default' }), { message: `container "app" in pod "nope" is waiting to start: image can't be pulled` });
  } finally {
    await c.stop();
  }
});

test('each cluster in a process serves the logs of its own kubelets', async () => {
  const { cluster: first, clock } = await cluster(1);
  const second = await cluster(1);
  try {
    const pods = first.client().resource<Pod>(PODS);
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hello', namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo hello from the first cluster; sleep 3600'] }] } });
    const running = async () => (await pods.get('hello', { namespace: 'default' })).status?.containerStatuses?.[0]?.state?.running;
    for (let i = 0; i < 60 && !(await running()); i++) await clock.advance(1000);
    assert.ok(await running());
    assert.equal(await pods.getText('hello', 'log', { namespace: 'default' }), 'hello from the first cluster\n');
  } finally {
    await second.cluster.stop();
    await first.stop();
  }
});
