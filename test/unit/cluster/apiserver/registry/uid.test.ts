import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newUid } from '../../../../../src/cluster/apiserver/registry/uid';

test('uids are random version-4 UUIDs in lower-case hex, as randomUUID makes them, none twice across batches', () => {
  const seen = new Set<string>();
  const digits = new Map<string, number>();
  for (let i = 0; i < 5000; i++) {
    const uid = newUid();
    assert.match(uid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(!seen.has(uid), uid);
    seen.add(uid);
    for (const c of uid.slice(0, 8)) digits.set(c, (digits.get(c) ?? 0) + 1);
  }
  // Every hex digit turns up where the bytes are random (40,000 digits: ~2,500 each).
  assert.equal(digits.size, 16);
  for (const count of digits.values()) assert.ok(count > 1500, `${count}`);
});
