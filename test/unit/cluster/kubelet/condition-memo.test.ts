import test from 'node:test';
import assert from 'node:assert/strict';
import { conditionMemo, rememberedCondition } from '../../../../src/cluster/kubelet/condition-memo';
import type { PodCondition } from '../../../../src/cluster/api/types';

const conditions = (ready: string, containersReady: string): PodCondition[] => [
  { type: 'Ready', status: 'True', lastTransitionTime: ready },
  { type: 'ContainersReady', status: 'True', lastTransitionTime: containersReady },
] as PodCondition[];

test('two pods with equal condition times share one times array; each gets back its own times', () => {
  const a = conditionMemo(conditions('2026-11-25T12:00:00Z', '2026-11-25T11:59:59Z'));
  const b = conditionMemo(conditions('2026-11-25T12:00:00Z', '2026-11-25T11:59:59Z'));
  assert.equal(a.times, b.times);
  assert.deepEqual(rememberedCondition(b, 'Ready'), { status: 'True', lastTransitionTime: '2026-11-25T12:00:00Z' });
});

test('times that spell the same joined text are not mistaken for each other (any string is accepted as a time)', () => {
  // The API server takes any string for a v1.Time, so a client can write times with spaces in them.
  conditionMemo(conditions('a b', 'c'));
  const other = conditionMemo(conditions('a', 'b c'));
  assert.deepEqual(rememberedCondition(other, 'Ready'), { status: 'True', lastTransitionTime: 'a' });
  assert.deepEqual(rememberedCondition(other, 'ContainersReady'), { status: 'True', lastTransitionTime: 'b c' });
});
