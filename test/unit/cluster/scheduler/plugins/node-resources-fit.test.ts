import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeResourcesFit, leastRequestedScore } from '../../../../../src/cluster/scheduler/plugins/node-resources-fit';
import { Code } from '../../../../../src/cluster/scheduler/framework/status';
import { newState, node, nodeInfo, pod, podInfo, type PodSpecLite } from '../fixtures';

test('NodeResourcesFit reports every insufficient resource of a node', () => {
  const busy = () => nodeInfo(node('n', { cpu: '2', memory: '4Gi', pods: '2', extra: { 'example.com/gpu': '1' } }), [pod('a', { cpu: '1500m', memory: '1Gi' })]);
  const cases: { name: string; spec: PodSpecLite; code: Code; reasons: string[] }[] = [
    { name: 'fits', spec: { cpu: '500m', memory: '1Gi' }, code: Code.Success, reasons: [] },
    { name: 'cpu', spec: { cpu: '1' }, code: Code.Unschedulable, reasons: ['Insufficient cpu'] },
    { name: 'cpu and memory', spec: { cpu: '1', memory: '4Gi' }, code: Code.Unschedulable, reasons: ['Insufficient cpu', 'Insufficient memory'] },
    { name: 'extended resource', spec: { requests: { 'example.com/gpu': '2' } }, code: Code.Unschedulable, reasons: ['Insufficient example.com/gpu'] },
    { name: 'best effort fits', spec: {}, code: Code.Success, reasons: [] },
  ];
  for (const c of cases) {
    const plugin = new NodeResourcesFit();
    const state = newState();
    const p = podInfo(pod('p', c.spec));
    plugin.preFilter(state, p);
    const s = plugin.filter(state, p, busy());
    assert.equal(s.code, c.code, c.name);
    assert.deepEqual(s.reasons, c.reasons, c.name);
  }
  const full = nodeInfo(node('n', { pods: '1' }), [pod('a')]);
  assert.deepEqual(new NodeResourcesFit().filter(newState(), podInfo(pod('p')), full).reasons, ['Too many pods']);
});

test('NodeResourcesFit scores LeastAllocated over cpu and memory, with the non-zero defaults', () => {
  assert.equal(leastRequestedScore(1000, 4000), 75);
  assert.equal(leastRequestedScore(5000, 4000), 0);
  const empty = nodeInfo(node('empty', { cpu: '4', memory: '8Gi' }));
  const half = nodeInfo(node('half', { cpu: '4', memory: '8Gi' }), [pod('a', { cpu: '2', memory: '4Gi' })]);
  const p = podInfo(pod('p', { cpu: '1', memory: '2Gi' }));
  const plugin = new NodeResourcesFit();
  assert.equal(plugin.score(newState(), p, empty), 75);
  assert.equal(plugin.score(newState(), p, half), 25);
  // No requests: 100m CPU and 200Mi memory count for scoring.
  assert.equal(plugin.score(newState(), podInfo(pod('q')), empty), Math.trunc((Math.trunc(3900 * 100 / 4000) + Math.trunc((8 * 1024 - 200) * 100 / (8 * 1024))) / 2));
});
