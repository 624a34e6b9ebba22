import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StringPool } from '../../../../src/cluster/api/string-pool';

test('a pool keeps one string per distinct value and never more than its capacity', () => {
  const pool = new StringPool(2);
  assert.equal(pool.intern('kube-system'), 'kube-system');
  // An equal string (made at run time, not the literal) is the same value: nothing new is kept.
  assert.equal(pool.intern(['kube', 'system'].join('-')), 'kube-system');
  assert.equal(pool.size, 1);
  pool.intern('default');
  assert.equal(pool.size, 2);
  // A third distinct value: the pool starts over rather than growing.
  assert.equal(pool.intern('monitoring'), 'monitoring');
  assert.equal(pool.size, 1);
});
