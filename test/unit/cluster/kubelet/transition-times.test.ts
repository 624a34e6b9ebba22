import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodCondition } from '../../../../src/cluster/api/types';
import { withTransitionTimes } from '../../../../src/cluster/kubelet/pod-status';

const NOW = Date.parse('2026-01-01T00:05:00Z');
const c = (type: string, status: 'True' | 'False', extra: Partial<PodCondition> = {}): PodCondition => ({ type, status, lastProbeTime: null, ...extra });

test('a condition keeps its transition time while its status holds, and takes now when it flips', () => {
  const previous = [c('Ready', 'False', { lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'ContainersNotReady' }), c('PodScheduled', 'True', { lastTransitionTime: '2026-01-01T00:00:00Z' })];
  const next = [c('Ready', 'True'), c('PodScheduled', 'True'), c('Initialized', 'False', { reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init]' })];
  assert.equal(JSON.stringify(withTransitionTimes(next, previous, NOW)), JSON.stringify([
    { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:05:00Z' },
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' },
    { type: 'Initialized', status: 'False', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:05:00Z', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init]' },
  ]));
});

test('a condition without a previous one keeps its own time; of two previous ones of a type the last counts', () => {
  const previous = [c('Ready', 'True', { lastTransitionTime: '2026-01-01T00:00:01Z' }), c('Ready', 'True', { lastTransitionTime: '2026-01-01T00:00:02Z' })];
  const next = [c('Ready', 'True'), c('PodScheduled', 'True', { lastTransitionTime: '2026-01-01T00:00:00Z' })];
  assert.deepEqual(withTransitionTimes(next, previous, NOW).map((x) => x.lastTransitionTime), ['2026-01-01T00:00:02Z', '2026-01-01T00:00:00Z']);
  assert.deepEqual(withTransitionTimes(next, undefined, NOW).map((x) => x.lastTransitionTime), ['2026-01-01T00:05:00Z', '2026-01-01T00:00:00Z']);
});
