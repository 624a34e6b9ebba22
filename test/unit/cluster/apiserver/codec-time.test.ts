import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rfc3339, rfc3339Micro } from '../../../../src/cluster/apiserver/registry/codec';

test('metav1.Time and MicroTime text, for repeated and alternating instants alike', () => {
  const t = Date.parse('2026-01-01T00:00:00.123Z');
  for (let i = 0; i < 3; i++) {
    assert.equal(rfc3339(t), '2026-01-01T00:00:00Z');
    assert.equal(rfc3339(t + 999), '2026-01-01T00:00:01Z');
    assert.equal(rfc3339Micro(t), '2026-01-01T00:00:00.123000Z');
    assert.equal(rfc3339Micro(t + 1), '2026-01-01T00:00:00.124000Z');
  }
  assert.throws(() => rfc3339(NaN), RangeError);
});
