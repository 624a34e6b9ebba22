import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../../src/cluster/clock';
import { SchedulerCache } from '../../../../src/cluster/scheduler/cache/cache';
import type { Pod } from '../../../../src/cluster/api/types';
import { CycleState } from '../../../../src/cluster/scheduler/framework/cycle-state';
import { DefaultPreemption } from '../../../../src/cluster/scheduler/plugins/default-preemption';
import { SchedulingAlgorithm, seededRandom, statusesForPostFilter } from '../../../../src/cluster/scheduler/schedule-one';
import { frameworkOver, node, pod, podInfo } from './fixtures';

test('the cache counts assumed pods at once, confirms them from the informer, and forgets failed bindings', () => {
  const cache = new SchedulerCache(new ManualClock());
  cache.addNode(node('node-1', { cpu: '2' }));
  const p = pod('web', { cpu: '500m' });
  const info = podInfo(p);
  cache.assumePod(info, 'node-1');
  const n = cache.snapshot().get('node-1')!;
  assert.equal(n.requested.milliCPU, 500);
  assert.ok(cache.isAssumed(p));
  cache.addPod({ ...p, spec: { ...p.spec, nodeName: 'node-1' } });
  assert.ok(!cache.isAssumed(p));
  assert.equal(n.requested.milliCPU, 500, 'confirmed, not counted twice');
  const q = pod('job', { cpu: '1' });
  cache.assumePod(podInfo(q), 'node-1');
  assert.equal(n.requested.milliCPU, 1500);
  cache.forgetPod(q);
  assert.equal(n.requested.milliCPU, 500);
  cache.removePod(p);
  assert.equal(n.requested.milliCPU, 0);
});

test('pods that arrive before their node wait in a placeholder the snapshot does not list', () => {
  const cache = new SchedulerCache(new ManualClock());
  cache.addPod(pod('early', { cpu: '1', nodeName: 'node-9' }));
  assert.equal(cache.snapshot().nodes.length, 0);
  cache.addNode(node('node-9', { cpu: '4' }));
  assert.equal(cache.snapshot().get('node-9')!.requested.milliCPU, 1000);
  cache.removeNode(node('node-9'));
  assert.equal(cache.snapshot().nodes.length, 0);
});

test('the cache journals every node a change touches; a reader further behind than the journal keeps starts over', () => {
  const cache = new SchedulerCache(new ManualClock());
  cache.addNode(node('node-1'));
  cache.addNode(node('node-2'));
  const journal = cache.snapshot().changes!;
  const from = journal.position;
  const p = pod('web', { cpu: '100m' });
  cache.assumePod(podInfo(p), 'node-2');
  cache.addPod({ ...p, spec: { ...p.spec, nodeName: 'node-1' } }); // bound elsewhere: both nodes change
  assert.deepEqual(journal.since(from)!.map((n) => n.name), ['node-2', 'node-2', 'node-1']);
  assert.deepEqual(journal.since(journal.position), []);
  for (let i = 0; i < 5000; i++) cache.updateNode(node('node-1'));
  assert.equal(journal.since(from), undefined);
});

test('a node keeps exact counts through many status updates and removals from the middle of its pod list', () => {
  // 50 pods: found by a scan; 150: by the node's index of pods by uid.
  for (const count of [50, 150]) {
    const cache = new SchedulerCache(new ManualClock());
    cache.addNode(node('node-1', { cpu: '100', pods: '200' }));
    const pods = Array.from({ length: count }, (_, i) => pod(`p-${i}`, { cpu: '100m', nodeName: 'node-1', hostPorts: i % 10 === 0 ? [8000 + i] : undefined }));
    for (const p of pods) cache.addPod(p);
    for (const p of pods) cache.updatePod({ ...p, status: { phase: 'Running' } });
    for (let i = 0; i < count; i += 3) cache.removePod(pods[i]!);
    const left = pods.filter((_, i) => i % 3 !== 0);
    const n = cache.snapshot().get('node-1')!;
    assert.deepEqual(n.pods.map((p) => p.name).sort(), left.map((p) => p.metadata.name).sort());
    assert.equal(n.requested.milliCPU, left.length * 100);
    assert.deepEqual([...n.usedPorts.keys()].sort(), pods.map((_, i) => i).filter((i) => i % 10 === 0 && i % 3 !== 0).map((i) => `TCP/${8000 + i}`).sort());
    for (const p of left) cache.removePod(p);
    assert.equal(n.pods.length, 0);
    assert.equal(n.requested.milliCPU, 0);
    cache.removePod(pods[1]!); // already gone: nothing changes
    assert.equal(n.podCount, 0);
  }
});

test('pods that ask for the same share one set of requirements; a bound pod keeps its own through its updates', () => {
  const cache = new SchedulerCache(new ManualClock());
  cache.addNode(node('node-1', { cpu: '8' }));
  const a = pod('a', { cpu: '250m', memory: '64Mi', nodeName: 'node-1' });
  const b = pod('b', { cpu: '250m', memory: '64Mi', nodeName: 'node-1' });
  const c = pod('c', { cpu: '500m', nodeName: 'node-1' });
  const withPorts = pod('d', { cpu: '250m', memory: '64Mi', nodeName: 'node-1', hostPorts: [8080] });
  for (const p of [a, b, c, withPorts]) cache.addPod(p);
  const infos = () => new Map(cache.snapshot().get('node-1')!.pods.map((p) => [p.name, p]));
  const before = infos();
  assert.equal(before.get('a')!.requests, before.get('b')!.requests, 'identical requests: one object');
  assert.notEqual(before.get('a')!.requests, before.get('c')!.requests);
  assert.notEqual(before.get('a')!.hostPorts, before.get('d')!.hostPorts, 'a pod with host ports has its own');
  assert.deepEqual(before.get('d')!.hostPorts, [{ hostIP: '0.0.0.0', protocol: 'TCP', port: 8080 }]);
  assert.equal(before.get('c')!.nonZeroRequests.memory, 200 * 1024 * 1024, 'scoring default for memory it does not request');

  cache.updatePod({ ...c, status: { phase: 'Running' } });
  assert.equal(infos().get('c')!.requests, before.get('c')!.requests, 'a status update keeps what the spec gave');
  const n = cache.snapshot().get('node-1')!;
  assert.equal(n.requested.milliCPU, 1250);
  assert.equal(n.requested.memory, 3 * 64 * 1024 * 1024);
  cache.removePod(a);
  assert.equal(n.requested.milliCPU, 1000, 'removing one pod of a shared shape takes its share only');
  assert.equal(infos().get('b')!.requests.milliCPU, 250);
});

test('a recreated pod of the same name is derived afresh (a new uid is a new pod)', () => {
  const cache = new SchedulerCache(new ManualClock());
  cache.addNode(node('node-1', { cpu: '8' }));
  const first = pod('web', { cpu: '1', nodeName: 'node-1' });
  cache.addPod(first);
  const second = pod('web', { cpu: '3', nodeName: 'node-1' });
  cache.removePod(first);
  cache.addPod(second);
  assert.equal(cache.snapshot().get('node-1')!.requested.milliCPU, 3000);
});

test('nodes of one cache that report the same images share one image map, with counts over that cache only', () => {
  const images = [{ names: ['docker.io/library/nginx:1.27', 'nginx:1.27'], sizeBytes: 70 * 2 ** 20 }];
  const one = new SchedulerCache(new ManualClock());
  const other = new SchedulerCache(new ManualClock());
  for (let i = 1; i <= 3; i++) one.addNode(node(`node-${i}`, { images }));
  one.addNode(node('node-4', { images: [{ names: ['redis:7'], sizeBytes: 40 * 2 ** 20 }] }));
  other.addNode(node('node-1', { images }));
  const s = one.snapshot();
  assert.equal(s.get('node-1')!.imageStates, s.get('node-2')!.imageStates);
  assert.notEqual(s.get('node-1')!.imageStates, s.get('node-4')!.imageStates);
  assert.equal(s.get('node-1')!.imageStates.get('nginx:1.27')!.numNodes, 3);
  assert.equal(s.get('node-4')!.imageStates.get('redis:7')!.numNodes, 1);
  const o = other.snapshot();
  assert.notEqual(o.get('node-1')!.imageStates, s.get('node-1')!.imageStates, 'another scheduler counts its own nodes');
  assert.equal(o.get('node-1')!.imageStates.get('nginx:1.27')!.numNodes, 1);
  assert.equal(one.snapshot().get('node-1')!.imageStates.get('nginx:1.27')!.numNodes, 3);
  one.updateNode(node('node-3'));
  assert.equal(one.snapshot().get('node-1')!.imageStates.get('nginx:1.27')!.numNodes, 2, 'a node that lost the image no longer counts');
});

/**
 * Makes every property of `pod`, at every depth, throw when read: what the cache and the plugins
 * still read of a pod after the cache took it would fail. A pod's decoded object must be free to
 * go once the informers drop it.
 */
function drop(pod: Pod): void {
  const objects: object[] = [];
  const walk = (o: unknown) => {
    if (o === null || typeof o !== 'object') return;
    objects.push(o);
    for (const v of Object.values(o)) walk(v);
  };
  walk(pod);
  for (const o of objects) {
    for (const k of Object.keys(o)) Object.defineProperty(o, k, { get() { throw new Error(`read ${k} of a dropped pod`); } });
  }
}

function clusterOf(pods: Pod[]) {
  const cache = new SchedulerCache(new ManualClock());
  for (const n of ['node-1', 'node-2']) cache.addNode(node(n, { cpu: '2', labels: { zone: n === 'node-1' ? 'a' : 'b' } }));
  for (const p of pods) {
    cache.addPod(p);
    drop(p);
  }
  const fwk = frameworkOver(cache.snapshot());
  return { cache, fwk, algorithm: new SchedulingAlgorithm(fwk, seededRandom(1), 100) };
}

test('bound pods whose objects were dropped still repel by their anti-affinity, attract, and count for spread', () => {
  const term = (app: string) => ({ labelSelector: { matchLabels: { app } }, topologyKey: 'zone' });
  const guard = pod('guard', { cpu: '100m', nodeName: 'node-1', labels: { app: 'guard' }, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web')] } } });
  const db = pod('db', { cpu: '100m', nodeName: 'node-2', labels: { app: 'db' } });
  const { fwk, algorithm } = clusterOf([guard, db]);

  const web = algorithm.schedulePod(new CycleState(), podInfo(pod('web', { labels: { app: 'web' } })), fwk.snapshot());
  assert.equal(web.suggestedHost, 'node-2', "the dropped guard's anti-affinity still keeps web out of zone a");
  assert.equal(web.diagnosis.nodeToStatus.get('node-1')?.message(), "node(s) didn't satisfy existing pods anti-affinity rules");

  const nearDb = algorithm.schedulePod(new CycleState(), podInfo(pod('api', { labels: { app: 'api' }, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db')] } } })), fwk.snapshot());
  assert.equal(nearDb.suggestedHost, 'node-2', 'required affinity finds the dropped db by its labels');

  const spread = pod('db-2', { labels: { app: 'db' }, spread: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'db' } } }] });
  const again = algorithm.schedulePod(new CycleState(), podInfo(spread), fwk.snapshot());
  assert.equal(again.suggestedHost, 'node-1', 'the dropped db counts in zone b');
});

test('preemption picks and names its victim among bound pods whose objects were dropped', () => {
  const old = pod('batch-old', { cpu: '1', priority: 10, nodeName: 'node-1' });
  old.status = { phase: 'Running', startTime: '2026-01-01T00:00:00Z' };
  const young = pod('batch-young', { cpu: '1', priority: 10, nodeName: 'node-1' });
  young.status = { phase: 'Running', startTime: '2026-01-01T01:00:00Z' };
  const youngUid = young.metadata.uid;
  const important = pod('important', { cpu: '2', priority: 1000, nodeName: 'node-2' });
  const { fwk, algorithm } = clusterOf([old, young, important]);
  const urgent = podInfo(pod('urgent', { cpu: '1', priority: 100 }));
  const state = new CycleState();
  const result = algorithm.schedulePod(state, urgent, fwk.snapshot());
  assert.equal(result.suggestedHost, undefined);
  const out = new DefaultPreemption(fwk, seededRandom(1)).postFilter(state, urgent, statusesForPostFilter(result, fwk.snapshot()));
  assert.equal(out.result?.nominatedNodeName, 'node-1');
  assert.deepEqual(out.result?.victims.map((v) => [v.key, v.uid === youngUid]), [['default/batch-young', true]], 'the one that started later goes, known by key and uid');
});

test("a bound pod's facts keep its key, name, namespace and start time exactly (preemption reads them to pick and order victims)", () => {
  const cache = new SchedulerCache(new ManualClock());
  cache.addNode(node('node-1', { cpu: '8' }));
  const started = pod('started', { nodeName: 'node-1', namespace: 'team-a' });
  started.status = { phase: 'Running', startTime: '2026-01-01T00:00:05Z' };
  const subSecond = pod('sub-second', { nodeName: 'node-1' });
  subSecond.status = { phase: 'Running', startTime: '2026-01-01T00:00:05.250Z' };
  const noNamespace = pod('no-namespace', { nodeName: 'node-1' });
  delete noNamespace.metadata.namespace;
  const notStarted = pod('not-started', { nodeName: 'node-1' });
  delete notStarted.metadata.creationTimestamp;
  for (const p of [started, subSecond, noNamespace, notStarted]) cache.addPod(p);
  const facts = new Map(cache.snapshot().get('node-1')!.pods.map((p) => [p.name, p]));
  assert.deepEqual([...facts.values()].map((f) => [f.key, f.namespace, f.name]), [
    ['team-a/started', 'team-a', 'started'],
    ['default/sub-second', 'default', 'sub-second'],
    ['default/no-namespace', 'default', 'no-namespace'],
    ['default/not-started', 'default', 'not-started'],
  ]);
  assert.equal(facts.get('started')!.startTime, Date.parse('2026-01-01T00:00:05Z'));
  assert.equal(facts.get('sub-second')!.startTime, Date.parse('2026-01-01T00:00:05.250Z'), 'milliseconds kept when a timestamp has them');
  assert.ok(facts.get('started')!.startTime < facts.get('sub-second')!.startTime);
  assert.equal(facts.get('no-namespace')!.startTime, Date.parse('2026-01-01T00:00:00Z'), 'creationTimestamp before it starts');
  assert.equal(facts.get('not-started')!.startTime, 0);
});

test("a bound pod's status writes that change none of its facts leave its node as it was; a start, a relabel or a deletion is seen", () => {
  const cache = new SchedulerCache(new ManualClock());
  cache.addNode(node('node-1', { cpu: '4' }));
  const p = pod('web', { cpu: '1', nodeName: 'node-1', labels: { app: 'web' } });
  cache.addPod(p);
  const n = cache.snapshot().get('node-1')!;
  const facts = () => n.pods.find((f) => f.name === 'web')!;
  const generation = n.generation;
  const held = facts();
  cache.updatePod({ ...p, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] } });
  assert.equal(facts(), held, 'the same facts');
  assert.equal(n.generation, generation, 'nothing on the node changed');

  const started: Pod = { ...p, status: { phase: 'Running', startTime: '2026-01-01T00:00:07Z' } };
  cache.updatePod(started);
  assert.equal(facts().startTime, Date.parse('2026-01-01T00:00:07Z'), 'the start time preemption orders victims by');
  cache.updatePod({ ...started, metadata: { ...p.metadata, labels: { app: 'web', tier: 'front' } } });
  assert.deepEqual(facts().labels, { app: 'web', tier: 'front' }, 'the labels affinity and spread match on');
  cache.updatePod({ ...started, metadata: { ...p.metadata, labels: { app: 'web', tier: 'front' }, deletionTimestamp: '2026-01-01T00:01:00Z' } });
  assert.ok(facts().terminating);
  assert.equal(n.requested.milliCPU, 1000, 'counted once throughout');
  assert.equal(n.pods.length, 1);
});
