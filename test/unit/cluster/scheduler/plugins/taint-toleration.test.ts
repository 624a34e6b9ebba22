import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TaintToleration, toleratesTaint } from '../../../../../src/cluster/scheduler/plugins/taint-toleration';
import type { Taint, Toleration } from '../../../../../src/cluster/api/types';
import { Code } from '../../../../../src/cluster/scheduler/framework/status';
import { newState, node, nodeInfo, pod, podInfo } from '../fixtures';

const cp: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
const gpu: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
const soft: Taint = { key: 'spot', value: 'true', effect: 'PreferNoSchedule' };

test('toleratesTaint follows corev1 matching rules', () => {
  const cases: { t: Toleration; taint: Taint; want: boolean }[] = [
    { t: { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, taint: gpu, want: true },
    { t: { key: 'dedicated', value: 'gpu' }, taint: gpu, want: true },
    { t: { key: 'dedicated', value: 'cpu' }, taint: gpu, want: false },
    { t: { key: 'dedicated', operator: 'Exists' }, taint: gpu, want: true },
    { t: { operator: 'Exists' }, taint: gpu, want: true },
    { t: { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, taint: gpu, want: false },
    { t: { key: 'other', operator: 'Exists' }, taint: gpu, want: false },
  ];
  for (const c of cases) assert.equal(toleratesTaint(c.t, c.taint), c.want, JSON.stringify(c.t));
});

test('TaintToleration filters untolerated NoSchedule taints with the 1.32 {key: value} wording', () => {
  const cases = [
    { taints: [cp], tolerations: [], code: Code.UnschedulableAndUnresolvable, reason: 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }' },
    { taints: [gpu], tolerations: [], code: Code.UnschedulableAndUnresolvable, reason: 'node(s) had untolerated taint {dedicated: gpu}' },
    { taints: [gpu], tolerations: [{ key: 'dedicated', operator: 'Equal' as const, value: 'gpu', effect: 'NoSchedule' as const }], code: Code.Success, reason: '' },
    { taints: [soft], tolerations: [], code: Code.Success, reason: '' },
  ];
  for (const c of cases) {
    const s = new TaintToleration().filter(newState(), podInfo(pod('p', { tolerations: c.tolerations })), nodeInfo(node('n', { taints: c.taints })));
    assert.equal(s.code, c.code);
    assert.equal(s.message(), c.reason);
  }
});

test('TaintToleration scores nodes with fewer untolerated PreferNoSchedule taints higher', () => {
  const plugin = new TaintToleration();
  const state = newState();
  const p = podInfo(pod('p'));
  plugin.preScore(state, p);
  const nodes = [nodeInfo(node('clean')), nodeInfo(node('soft', { taints: [soft] })), nodeInfo(node('soft2', { taints: [soft, { ...soft, key: 'x' }] }))];
  const scores = nodes.map((n) => ({ name: n.name, score: plugin.score(state, p, n) }));
  assert.deepEqual(scores.map((s) => s.score), [0, 1, 2]);
  plugin.normalizeScore(state, p, scores);
  assert.deepEqual(scores.map((s) => s.score), [100, 50, 0]);
});
