import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecentWeakMap } from '../../../../src/cluster/api/recent-weak-map';

test('a recent weak map forgets a key once two generations of others were set since, and keeps one read meanwhile', () => {
  const map = new RecentWeakMap<object, number>(4);
  const kept = {};
  const forgotten = {};
  map.set(kept, 1);
  map.set(forgotten, 2);
  const others = Array.from({ length: 20 }, () => ({}));
  others.forEach((o, i) => {
    map.set(o, i);
    // Read now and then: moved to the newer generation each time it is found in the older.
    if (i % 3 === 0) assert.equal(map.get(kept), 1);
  });
  assert.equal(map.get(kept), 1);
  assert.equal(map.get(forgotten), undefined);
  // The last generation's keys are still there; the ones two generations back are not.
  assert.equal(map.get(others[19]!), 19);
  assert.equal(map.get(others[0]!), undefined);
});
