import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeAffinity, ERR_REASON_POD } from '../../../../../src/cluster/scheduler/plugins/node-affinity';
import type { Affinity } from '../../../../../src/cluster/scheduler/framework/api';
import { Code } from '../../../../../src/cluster/scheduler/framework/status';
import { newState, node, nodeInfo, pod, podInfo, type PodSpecLite } from '../fixtures';

const required = (key: string, operator: 'In' | 'NotIn' | 'Exists' | 'Gt', values?: string[]): Affinity => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] }] } },
});

test('NodeAffinity filters on nodeSelector and required terms', () => {
  const ssd = nodeInfo(node('ssd', { labels: { disk: 'ssd', cores: '16' } }));
  const cases: { name: string; spec: PodSpecLite; code: Code }[] = [
    { name: 'no constraints', spec: {}, code: Code.Success },
    { name: 'nodeSelector matches', spec: { nodeSelector: { disk: 'ssd' } }, code: Code.Success },
    { name: 'nodeSelector misses', spec: { nodeSelector: { disk: 'hdd' } }, code: Code.UnschedulableAndUnresolvable },
    { name: 'In matches', spec: { affinity: required('disk', 'In', ['ssd', 'nvme']) }, code: Code.Success },
    { name: 'NotIn rejects', spec: { affinity: required('disk', 'NotIn', ['ssd']) }, code: Code.UnschedulableAndUnresolvable },
    { name: 'Exists', spec: { affinity: required('disk', 'Exists') }, code: Code.Success },
    { name: 'Gt', spec: { affinity: required('cores', 'Gt', ['8']) }, code: Code.Success },
    { name: 'Gt fails', spec: { affinity: required('cores', 'Gt', ['32']) }, code: Code.UnschedulableAndUnresolvable },
  ];
  for (const c of cases) {
    const plugin = new NodeAffinity();
    const state = newState();
    const p = podInfo(pod('p', c.spec));
    plugin.preFilter(state, p);
    const s = plugin.filter(state, p, ssd);
    assert.equal(s.code, c.code, c.name);
    if (!s.isSuccess()) assert.equal(s.message(), ERR_REASON_POD);
  }
});

test('NodeAffinity skips pods without node constraints and scores preferred terms by weight', () => {
  const plugin = new NodeAffinity();
  assert.equal(plugin.preFilter(newState(), podInfo(pod('p'))).status.code, Code.Skip);
  const p = podInfo(pod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
    { weight: 80, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
    { weight: 20, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
  ] } } }));
  const nodes = [nodeInfo(node('a-ssd', { labels: { zone: 'a', disk: 'ssd' } })), nodeInfo(node('a', { labels: { zone: 'a' } })), nodeInfo(node('none'))];
  const scores = nodes.map((n) => ({ name: n.name, score: plugin.score(newState(), p, n) }));
  assert.deepEqual(scores.map((s) => s.score), [100, 80, 0]);
  plugin.normalizeScore(newState(), p, scores);
  assert.deepEqual(scores.map((s) => s.score), [100, 80, 0]);
});
