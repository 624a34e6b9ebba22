import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../../../src/cluster/kubelet/behaviour';

// Machine and boot ids are drawn with Random.hex: a seed gives the same text as it always did.
test('hex draws the same digits from a seed as it always did, of any length', () => {
  assert.equal(new Random(7).hex(64), '02ff152c0fdc7f12fa169e5eb2f38b96857d6fe767d044f4775b05953d6bbcab');
  assert.equal(new Random(0).hex(32), '4434b46200159c3739285b08256d8104');
  assert.equal(new Random(4294967295).hex(12), 'e57bf3d33081');
  assert.equal(new Random(123456).hex(5), '61e09');
});
