import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTime } from '../../../../../src/cluster/apiserver/patch/managed-fields';

test('managedFields times are RFC 3339 to the second, whichever write of a second asks, and from a text too', () => {
  const t = Date.parse('2026-03-04T05:06:07Z');
  assert.equal(formatTime(t + 999), '2026-03-04T05:06:07Z');
  assert.equal(formatTime(t + 1000), '2026-03-04T05:06:08Z');
  assert.equal(formatTime(t), '2026-03-04T05:06:07Z');
  assert.equal(formatTime('2026-03-04T05:06:09.500Z'), '2026-03-04T05:06:09Z');
  assert.equal(formatTime(t + 1500), '2026-03-04T05:06:08Z');
});
