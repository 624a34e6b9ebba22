/** The Deployment controller against a cluster on the ManualClock (ReplicaSet controller, scheduler and kubelets run too). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { EVENTS, PODS } from '../../../../src/cluster/client/client';
import type { KubeObject, Pod } from '../../../../src/cluster/api/types';
import { DEPLOYMENTS, REPLICASETS } from '../../../../src/cluster/controllers/workload-informers';
import { computeHash } from '../../../../src/cluster/controllers/deployment/util';
import { eventually } from './eventually';

function deployment(name: string, replicas: number, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } }, ...spec },
  };
}

async function setUp() {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 3 });
  const client = cluster.client();
  const deploys = client.resource(DEPLOYMENTS);
  const rss = client.resource(REPLICASETS);
  const pods = client.resource<Pod>(PODS);
  const get = (name: string) => deploys.get(name, { namespace: 'default' });
  const replicaSets = async (app: string) => (await rss.list({ namespace: 'default' })).items.filter((rs) => rs.metadata.labels?.app === app).sort((a, b) => (a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? -1 : 1));
  const livePods = async (app: string) => (await pods.list({ namespace: 'default', labelSelector: `app=${app}` })).items.filter((p) => !p.metadata.deletionTimestamp);
  const events = async (name: string) => (await client.resource(EVENTS).list({ namespace: 'default' })).items
    .filter((e: any) => e.involvedObject.kind === 'Deployment' && e.involvedObject.name === name).map((e: any) => `${e.reason}: ${e.message}`);
  const complete = async (name: string) => {
    const d = await get(name);
    const s = (d.status ?? {}) as Record<string, any>;
    const want = (d.spec as any).replicas;
    return s.observedGeneration === d.metadata.generation && (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want
      && s.conditions?.some((c: any) => c.type === 'Progressing' && c.reason === 'NewReplicaSetAvailable');
  };
  return { clock, cluster, client, deploys, rss, pods, get, replicaSets, livePods, events, complete };
}

const setImage = (image: string) => ({ spec: { template: { spec: { containers: [{ name: 'nginx', image }] } } } });

test('a new Deployment: ReplicaSet <name>-<hash> with the hash label, revision 1, status and conditions as 1.32 words them', async () => {
  const { clock, cluster, deploys, get, replicaSets, livePods, events, complete } = await setUp();
  try {
    const created = await deploys.create(deployment('web', 3));
    await eventually(clock, () => complete('web'), 'rolled out', 200);
    const [rs] = await replicaSets('web');
    const hash = computeHash((created.spec as any).template, undefined);
    assert.equal(rs!.metadata.name, `web-${hash}`);
    assert.deepEqual(rs!.metadata.labels, { app: 'web', 'pod-template-hash': hash });
    assert.deepEqual((rs!.spec as any).selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
    assert.equal((rs!.spec as any).template.metadata.labels['pod-template-hash'], hash);
    assert.deepEqual(rs!.metadata.annotations, { 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4', 'deployment.kubernetes.io/revision': '1' });
    assert.deepEqual(rs!.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal((await livePods('web')).length, 3);
    const d = await get('web');
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    const status = d.status as any;
    assert.deepEqual({ ...status, conditions: undefined }, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: undefined });
    assert.deepEqual(status.conditions.map((c: any) => `${c.type} ${c.status} ${c.reason}: ${c.message}`), [
      'Available True MinimumReplicasAvailable: Deployment has minimum availability.',
      `Progressing True NewReplicaSetAvailable: ReplicaSet "web-${hash}" has successfully progressed.`,
    ]);
    assert.deepEqual(await events('web'), [`ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`]);
  } finally {
    await cluster.stop();
  }
});

// The entries a 1.32 cluster records for what the controllers create (kubectl get --show-managed-fields
// of a kind cluster): the template, a struct, has no `.`; an ownerReference, an atomic map, is one field.
test('managedFields of the ReplicaSet and Pods the controllers create: template without `.`, ownerReferences whole', async () => {
  const { clock, cluster, deploys, replicaSets, livePods, complete } = await setUp();
  try {
    const created = await deploys.create(deployment('web', 1));
    await eventually(clock, () => complete('web'), 'rolled out', 200);
    const [rs] = await replicaSets('web');
    const [pod] = await livePods('web');
    const container = { '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:resources': {}, 'f:terminationMessagePath': {}, 'f:terminationMessagePolicy': {} };
    const podSpec = { 'f:containers': { 'k:{"name":"nginx"}': container }, 'f:dnsPolicy': {}, 'f:restartPolicy': {}, 'f:schedulerName': {}, 'f:securityContext': {}, 'f:terminationGracePeriodSeconds': {} };
    const labels = { '.': {}, 'f:app': {}, 'f:pod-template-hash': {} };
    const entry = (o: KubeObject) => o.metadata.managedFields!.filter((e) => e.manager === 'kube-controller-manager' && !e.subresource).map((e) => e.fieldsV1);
    assert.deepEqual(entry(rs!), [{
      'f:metadata': {
        'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/desired-replicas': {}, 'f:deployment.kubernetes.io/max-replicas': {}, 'f:deployment.kubernetes.io/revision': {} },
        'f:labels': labels,
        'f:ownerReferences': { '.': {}, [`k:{"uid":"${created.metadata.uid}"}`]: {} },
      },
      'f:spec': { 'f:replicas': {}, 'f:selector': {}, 'f:template': { 'f:metadata': { 'f:labels': labels }, 'f:spec': podSpec } },
    }]);
    assert.deepEqual(entry(pod!), [{
      'f:metadata': { 'f:generateName': {}, 'f:labels': labels, 'f:ownerReferences': { '.': {}, [`k:{"uid":"${rs!.metadata.uid}"}`]: {} } },
      'f:spec': { ...podSpec, 'f:enableServiceLinks': {} },
    }]);
  } finally {
    await cluster.stop();
  }
});

test("the events the Deployment and ReplicaSet controllers record are kube-controller-manager's in managedFields, as its User-Agent names it", async () => {
  const { clock, cluster, client, deploys, complete } = await setUp();
  try {
    await deploys.create(deployment('web', 1));
    await eventually(clock, () => complete('web'), 'rolled out', 200);
    const recorded = (await client.resource(EVENTS).list({ namespace: 'default' })).items.filter((e: any) => e.source?.component === 'deployment-controller' || e.source?.component === 'replicaset-controller');
    assert.deepEqual(recorded.map((e: any) => `${e.source.component} ${e.reason}`).sort(), ['deployment-controller ScalingReplicaSet', 'replicaset-controller SuccessfulCreate']);
    const fieldsV1 = {
      'f:count': {}, 'f:firstTimestamp': {},
      'f:involvedObject': {}, 'f:lastTimestamp': {}, 'f:message': {}, 'f:reason': {}, 'f:reportingComponent': {}, 'f:reportingInstance': {}, 'f:source': { 'f:component': {} }, 'f:type': {},
    };
    for (const e of recorded) {
      assert.deepEqual(e.metadata.managedFields!.map(({ time: _time, ...entry }) => entry), [{ manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1 }]);
    }
    const writers = new Set(cluster.audit.query({ user: 'system:kube-controller-manager' }).filter((r) => r.verb === 'create' && r.resource === 'events').map((r) => r.userAgent));
    assert.deepEqual([...writers], ['kube-controller-manager/v1.32.4 (linux/amd64) kubernetes/kube-sim']);
  } finally {
    await cluster.stop();
  }
});

test('RollingUpdate maxSurge 1 / maxUnavailable 0: never more than 4 replicas nor fewer than 3 available; revision 2; scale-down events', async () => {
  const { clock, cluster, deploys, rss, replicaSets, events, complete } = await setUp();
  try {
    await deploys.create(deployment('web', 3, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    await eventually(clock, () => complete('web'), 'first rollout', 200);
    await deploys.patch('web', 'strategic', setImage('nginx:1.27'), { namespace: 'default' });
    let steps = 0;
    for (; steps < 300 && !(await complete('web')); steps++) {
      const all = (await rss.list({ namespace: 'default' })).items;
      const desired = all.reduce((n, rs) => n + ((rs.spec as any).replicas ?? 0), 0);
      const available = all.reduce((n, rs) => n + ((rs.status as any)?.availableReplicas ?? 0), 0);
      assert.ok(desired <= 4, `at most 3 + maxSurge replicas (${desired})`);
      assert.ok(available >= 3, `at least 3 - maxUnavailable available (${available})`);
      await clock.advance(100);
    }
    assert.ok(await complete('web'), 'second rollout finished');
    const [oldRS, newRS] = await replicaSets('web');
    assert.deepEqual([(oldRS!.spec as any).replicas, (newRS!.spec as any).replicas], [0, 3]);
    assert.deepEqual([oldRS!.metadata.annotations?.['deployment.kubernetes.io/revision'], newRS!.metadata.annotations?.['deployment.kubernetes.io/revision']], ['1', '2']);
    const log = await events('web');
    assert.ok(log.includes(`ScalingReplicaSet: Scaled up replica set ${newRS!.metadata.name} from 0 to 1`), log.join('\n'));
    assert.ok(log.includes(`ScalingReplicaSet: Scaled down replica set ${oldRS!.metadata.name} from 3 to 2`), log.join('\n'));
    assert.ok(log.includes(`ScalingReplicaSet: Scaled down replica set ${oldRS!.metadata.name} from 1 to 0`), log.join('\n'));
  } finally {
    await cluster.stop();
  }
});

test('Recreate: the old pods are all gone before the new ReplicaSet gets any', async () => {
  const { clock, cluster, deploys, replicaSets, livePods, complete, pods } = await setUp();
  try {
    await deploys.create(deployment('web', 2, { strategy: { type: 'Recreate' } }));
    await eventually(clock, () => complete('web'), 'first rollout', 200);
    const [first] = await replicaSets('web');
    await deploys.patch('web', 'strategic', setImage('nginx:1.27'), { namespace: 'default' });
    for (let i = 0; i < 300 && !(await complete('web')); i++) {
      const sets = await replicaSets('web');
      const next = sets.find((rs) => rs.metadata.uid !== first!.metadata.uid);
      if (next && ((next.spec as any).replicas ?? 0) > 0) {
        const all = (await pods.list({ namespace: 'default', labelSelector: 'app=web' })).items;
        assert.equal(all.filter((p) => p.metadata.ownerReferences?.[0]?.uid === first!.metadata.uid).length, 0, 'old pods gone first');
      }
      await clock.advance(100);
    }
    assert.ok(await complete('web'));
    assert.equal((await livePods('web')).length, 2);
  } finally {
    await cluster.stop();
  }
});

test('scaling changes replicas of the current ReplicaSet only; rolling back reuses the old ReplicaSet as revision 3', async () => {
  const { clock, cluster, deploys, rss, get, replicaSets, events, complete } = await setUp();
  try {
    await deploys.create(deployment('web', 2));
    await eventually(clock, () => complete('web'), 'first rollout', 200);
    const [first] = await replicaSets('web');
    await deploys.patch('web', 'merge', { spec: { replicas: 4 } }, { namespace: 'default' });
    await eventually(clock, () => complete('web'), 'scaled', 200);
    assert.equal((await replicaSets('web')).length, 1);
    assert.ok((await events('web')).includes(`ScalingReplicaSet: Scaled up replica set ${first!.metadata.name} from 2 to 4`));
    await deploys.patch('web', 'strategic', setImage('nginx:1.27'), { namespace: 'default' });
    await eventually(clock, async () => (await get('web')).metadata.annotations?.['deployment.kubernetes.io/revision'] === '2' && complete('web'), 'second rollout', 300);
    await deploys.patch('web', 'strategic', setImage('nginx:1.26'), { namespace: 'default' });
    await eventually(clock, async () => (await get('web')).metadata.annotations?.['deployment.kubernetes.io/revision'] === '3' && complete('web'), 'rolled back', 300);
    const again = await rss.get(first!.metadata.name!, { namespace: 'default' });
    assert.equal((again.spec as any).replicas, 4);
    assert.equal(again.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(again.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal((await replicaSets('web')).length, 2);
  } finally {
    await cluster.stop();
  }
});

test('revisionHistoryLimit keeps that many old ReplicaSets; deleting the Deployment deletes its ReplicaSets and pods', async () => {
  const { clock, cluster, deploys, get, replicaSets, livePods, complete } = await setUp();
  try {
    await deploys.create(deployment('web', 1, { revisionHistoryLimit: 1 }));
    await eventually(clock, () => complete('web'), 'first rollout', 200);
    for (const [i, image] of ['nginx:1.27', 'nginx:1.25', 'nginx:1.27.3'].entries()) {
      await deploys.patch('web', 'strategic', setImage(image), { namespace: 'default' });
      await eventually(clock, async () => (await get('web')).metadata.annotations?.['deployment.kubernetes.io/revision'] === String(i + 2) && complete('web'), `rollout ${i + 2}`, 300);
    }
    await eventually(clock, async () => (await replicaSets('web')).length === 2, 'one old ReplicaSet kept', 100);
    assert.deepEqual((await replicaSets('web')).map((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision']).sort(), ['3', '4']);
    await deploys.delete('web', { namespace: 'default', propagationPolicy: 'Background' });
    await eventually(clock, async () => (await replicaSets('web')).length === 0 && (await livePods('web')).length === 0, 'all gone', 200);
  } finally {
    await cluster.stop();
  }
});

test('the pod template hash is stable for a template and moves with the collision count', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } };
  const reordered = { spec: { containers: [{ image: 'nginx', name: 'nginx' }] }, metadata: { labels: { app: 'web' } } };
  assert.equal(computeHash(template, undefined), computeHash(reordered, undefined));
  assert.match(computeHash(template, undefined), /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  assert.notEqual(computeHash(template, undefined), computeHash(template, 1));
  assert.notEqual(computeHash(template, 1), computeHash(template, 2));
});

test('a rollout that makes no progress for progressDeadlineSeconds: Progressing False ProgressDeadlineExceeded, the old pod kept', async () => {
  const { clock, cluster, deploys, get, replicaSets, livePods, complete } = await setUp();
  try {
    await deploys.create(deployment('web', 1, { progressDeadlineSeconds: 30 }));
    await eventually(clock, () => complete('web'), 'first rollout', 200);
    await deploys.patch('web', 'strategic', setImage('nginx:0.0-missing'), { namespace: 'default' });
    const progressing = async () => ((await get('web')).status as any).conditions.find((c: any) => c.type === 'Progressing');
    await eventually(clock, async () => (await progressing()).reason === 'ReplicaSetUpdated', 'progressing', 100);
    await clock.advance(20_000);
    assert.equal((await progressing()).status, 'True');
    await eventually(clock, async () => (await progressing()).reason === 'ProgressDeadlineExceeded', 'timed out', 100, 500);
    const [, stuck] = await replicaSets('web');
    assert.deepEqual(await progressing().then((c: any) => `${c.status} ${c.message}`), `False ReplicaSet "${stuck!.metadata.name}" has timed out progressing.`);
    assert.equal((await livePods('web')).filter((p) => p.status?.phase === 'Running').length, 1, 'maxUnavailable 0 of 1 replica: the old pod stays');
  } finally {
    await cluster.stop();
  }
});

test('orphaned by a delete, the ReplicaSet and its pods are adopted by the re-created Deployment; one relabelled out of its selector is released', async () => {
  const { clock, cluster, deploys, rss, replicaSets, livePods, complete } = await setUp();
  try {
    await deploys.create(deployment('web', 2));
    await eventually(clock, () => complete('web'), 'first rollout', 200);
    const [rs] = await replicaSets('web');
    const podNames = (await livePods('web')).map((p) => p.metadata.name).sort();
    await deploys.delete('web', { namespace: 'default', propagationPolicy: 'Orphan' });
    await eventually(clock, async () => !(await rss.get(rs!.metadata.name!, { namespace: 'default' })).metadata.ownerReferences, 'orphaned', 100);
    const again = await deploys.create(deployment('web', 2));
    await eventually(clock, async () => (await rss.get(rs!.metadata.name!, { namespace: 'default' })).metadata.ownerReferences?.[0]?.uid === again.metadata.uid && complete('web'), 'adopted', 200);
    assert.deepEqual((await replicaSets('web')).map((x) => x.metadata.uid), [rs!.metadata.uid], 'no new ReplicaSet');
    assert.deepEqual((await livePods('web')).map((p) => p.metadata.name).sort(), podNames, 'the same pods');

    await rss.patch(rs!.metadata.name!, 'merge', { metadata: { labels: { app: 'elsewhere' } } }, { namespace: 'default' });
    await eventually(clock, async () => !(await rss.get(rs!.metadata.name!, { namespace: 'default' })).metadata.ownerReferences, 'released', 100);
  } finally {
    await cluster.stop();
  }
});
