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

test('MicroTime pads the milliseconds, truncates fractions and crosses seconds as Date does', () => {
  const t = Date.parse('2026-03-04T05:06:07.000Z');
  assert.equal(rfc3339Micro(t + 5), '2026-03-04T05:06:07.005000Z');
  assert.equal(rfc3339Micro(t + 42), '2026-03-04T05:06:07.042000Z');
  assert.equal(rfc3339Micro(t + 42.9), '2026-03-04T05:06:07.042000Z');
  assert.equal(rfc3339Micro(t + 999), '2026-03-04T05:06:07.999000Z');
  assert.equal(rfc3339Micro(t + 1000), '2026-03-04T05:06:08.000000Z');
  assert.equal(rfc3339Micro(t - 1), '2026-03-04T05:06:06.999000Z');
  assert.equal(rfc3339Micro(-1), '1969-12-31T23:59:59.999000Z');
  assert.throws(() => rfc3339Micro(NaN), RangeError);
});
