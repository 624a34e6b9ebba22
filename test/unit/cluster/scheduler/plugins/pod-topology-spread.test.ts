import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constraintsOf, ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH, PodTopologySpread } from '../../../../../src/cluster/scheduler/plugins/pod-topology-spread';
import type { TopologySpreadConstraint } from '../../../../../src/cluster/scheduler/framework/api';
import { Code } from '../../../../../src/cluster/scheduler/framework/status';
import { SchedulerCache } from '../../../../../src/cluster/scheduler/cache/cache';
import { POD_TOPOLOGY_SPREAD } from '../../../../../src/cluster/scheduler/plugins/names';
import { ManualClock } from '../../../../../src/cluster/clock';
import { frameworkOver, newState, node, nodeInfo, pod, podInfo, snapshotOf } from '../fixtures';

const zoneSpread = (maxSkew: number, when: 'DoNotSchedule' | 'ScheduleAnyway' = 'DoNotSchedule'): TopologySpreadConstraint[] => [
  { maxSkew, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: when, labelSelector: { matchLabels: { app: 'web' } } },
];
const web = (name: string) => pod(name, { labels: { app: 'web' } });

function cluster() {
  return [
    nodeInfo(node('a1', { labels: { 'topology.kubernetes.io/zone': 'a' } }), [web('w1'), web('w2')]),
    nodeInfo(node('b1', { labels: { 'topology.kubernetes.io/zone': 'b' } }), [web('w3')]),
    nodeInfo(node('c1', { labels: { 'topology.kubernetes.io/zone': 'c' } })),
    nodeInfo(node('nolabel')),
  ];
}

test('PodTopologySpread DoNotSchedule: skew against the emptiest zone must stay within maxSkew', () => {
  const cases = [
    { maxSkew: 1, node: 'a1', code: Code.Unschedulable, reason: ERR_REASON_CONSTRAINTS_NOT_MATCH },
    { maxSkew: 1, node: 'b1', code: Code.Unschedulable, reason: ERR_REASON_CONSTRAINTS_NOT_MATCH },
    { maxSkew: 1, node: 'c1', code: Code.Success, reason: '' },
    { maxSkew: 2, node: 'b1', code: Code.Success, reason: '' },
    { maxSkew: 1, node: 'nolabel', code: Code.UnschedulableAndUnresolvable, reason: ERR_REASON_NODE_LABEL_NOT_MATCH },
  ];
  for (const c of cases) {
    const nodes = cluster();
    const fwk = frameworkOver(snapshotOf(nodes));
    const plugin = new PodTopologySpread(fwk);
    const state = newState();
    const p = podInfo(pod('new', { labels: { app: 'web' }, spread: zoneSpread(c.maxSkew) }));
    assert.equal(plugin.preFilter(state, p, nodes).status.code, Code.Success);
    const s = plugin.filter(state, p, nodes.find((n) => n.name === c.node)!);
    assert.equal(s.code, c.code, `${c.node} maxSkew ${c.maxSkew}`);
    assert.equal(s.message(), c.reason);
  }
});

test('PodTopologySpread ScheduleAnyway scores emptier zones higher', () => {
  const nodes = cluster().slice(0, 3);
  const fwk = frameworkOver(snapshotOf(nodes));
  const plugin = new PodTopologySpread(fwk);
  const state = newState();
  const p = podInfo(pod('new', { labels: { app: 'web' }, spread: zoneSpread(1, 'ScheduleAnyway') }));
  assert.equal(plugin.preScore(state, p, nodes).code, Code.Success);
  const scores = nodes.map((n) => ({ name: n.name, score: plugin.score(state, p, n) }));
  plugin.normalizeScore(state, p, scores);
  assert.ok(scores[2]!.score > scores[1]!.score && scores[1]!.score > scores[0]!.score, JSON.stringify(scores));
  assert.equal(scores[2]!.score, 100);
});

test('PodTopologySpread applies the system defaults only to workload pods without constraints', () => {
  assert.equal(constraintsOf(pod('bare', { labels: { app: 'web' } }), 'ScheduleAnyway').constraints.length, 0);
  const owned = constraintsOf(pod('owned', { labels: { app: 'web' }, owner: 'web-1' }), 'ScheduleAnyway');
  assert.equal(owned.systemDefaulted, true);
  assert.deepEqual(owned.constraints.map((c) => [c.topologyKey, c.maxSkew]), [['kubernetes.io/hostname', 3], ['topology.kubernetes.io/zone', 5]]);
  assert.equal(constraintsOf(pod('owned', { labels: { app: 'web' }, owner: 'web-1' }), 'DoNotSchedule').constraints.length, 0);
});

test('PodTopologySpread zone counts follow the pods the cache assumes, confirms and removes, also after many changes', () => {
  const cache = new SchedulerCache(new ManualClock());
  const zones = ['a', 'b', 'c'];
  for (let i = 0; i < 6; i++) cache.addNode(node(`n${i}`, { labels: { 'topology.kubernetes.io/zone': zones[i % 3]! } }));
  const fwk = frameworkOver(cache.snapshot());
  const plugin = new PodTopologySpread(fwk);
  const countsNow = () => {
    const state = newState();
    const p = podInfo(pod('new', { labels: { app: 'web' }, spread: zoneSpread(1, 'ScheduleAnyway') }));
    fwk.setSnapshot(cache.snapshot());
    assert.equal(plugin.preScore(state, p, cache.snapshot().nodes).code, Code.Success);
    const s = state.read<{ counts: Map<string, number>[] }>('PreScore' + POD_TOPOLOGY_SPREAD)!;
    return Object.fromEntries([...s.counts[0]!].sort());
  };
  assert.deepEqual(countsNow(), { a: 0, b: 0, c: 0 });
  const web = (name: string) => pod(name, { labels: { app: 'web' } });
  const p1 = web('w1');
  const p2 = web('w2');
  cache.assumePod(podInfo(p1), 'n0');
  cache.assumePod(podInfo(p2), 'n1');
  cache.assumePod(podInfo(pod('other', { labels: { app: 'db' } })), 'n2');
  assert.deepEqual(countsNow(), { a: 1, b: 1, c: 0 });
  cache.addPod({ ...p1, spec: { ...p1.spec, nodeName: 'n3' } }); // confirmed elsewhere: zone a still
  cache.removePod(p2);
  assert.deepEqual(countsNow(), { a: 1, b: 0, c: 0 });
  // More changes than the cache's change journal keeps: the counters start over and stay right.
  const many = Array.from({ length: 3000 }, (_, i) => web(`m${i}`));
  many.forEach((p, i) => cache.assumePod(podInfo(p), `n${i % 6}`));
  many.slice(0, 1500).forEach((p) => cache.forgetPod(p));
  assert.deepEqual(countsNow(), { a: 1 + 500, b: 500, c: 500 });
});

test('PodTopologySpread system defaults score each node by its own and its zone\'s matching pods, as the cache changes', () => {
  const cache = new SchedulerCache(new ManualClock());
  cache.addNode(node('n1', { labels: { 'topology.kubernetes.io/zone': 'a' } }));
  cache.addNode(node('n2', { labels: { 'topology.kubernetes.io/zone': 'a' } }));
  cache.addNode(node('n3', { labels: { 'topology.kubernetes.io/zone': 'b' } }));
  const replica = (name: string) => pod(name, { labels: { app: 'web' }, owner: 'web-1' });
  for (const [name, at] of [['r1', 'n1'], ['r2', 'n1'], ['r3', 'n2']] as const) cache.assumePod(podInfo(replica(name)), at);
  cache.assumePod(podInfo(pod('db', { labels: { app: 'db' }, owner: 'db-1' })), 'n3');
  const fwk = frameworkOver(cache.snapshot());
  const plugin = new PodTopologySpread(fwk);
  const raw = () => {
    const state = newState();
    const p = podInfo(replica('new'));
    const nodes = cache.snapshot().nodes;
    fwk.setSnapshot(cache.snapshot());
    assert.equal(plugin.preScore(state, p, nodes).code, Code.Success);
    return nodes.map((n) => plugin.score(state, p, n));
  };
  // hostname: maxSkew 3, weight log(3 nodes + 2); zone: maxSkew 5, weight log(2 zones + 2).
  const expected = (own: number, zone: number) => Math.round(own * Math.log(5) + 2 + zone * Math.log(4) + 4);
  assert.deepEqual(raw(), [expected(2, 3), expected(1, 3), expected(0, 0)]);
  cache.assumePod(podInfo(replica('r4')), 'n3');
  cache.removePod(replica('never-there'));
  assert.deepEqual(raw(), [expected(2, 3), expected(1, 3), expected(1, 1)]);
});
