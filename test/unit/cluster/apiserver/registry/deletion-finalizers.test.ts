import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finalizersForPropagation, FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from '../../../../../src/cluster/apiserver/registry/deletion-finalizers';

test('no finalizers and no policy, or Background: nothing changes', () => {
  assert.equal(finalizersForPropagation(undefined, undefined), undefined);
  assert.equal(finalizersForPropagation([], undefined), undefined);
  assert.equal(finalizersForPropagation(undefined, 'Background'), undefined);
  assert.equal(finalizersForPropagation(['example.com/keep'], undefined), undefined);
  assert.equal(finalizersForPropagation(['example.com/keep'], 'Background'), undefined);
});

test('Orphan and Foreground add their finalizer, to none or to the ones there', () => {
  assert.deepEqual(finalizersForPropagation(undefined, 'Orphan'), [ORPHAN_FINALIZER]);
  assert.deepEqual(finalizersForPropagation([], 'Foreground'), [FOREGROUND_FINALIZER]);
  assert.deepEqual(finalizersForPropagation(['example.com/keep'], 'Orphan'), ['example.com/keep', ORPHAN_FINALIZER]);
});

test('a policy replaces the other one\'s finalizer; with none given, the one there stays', () => {
  assert.deepEqual(finalizersForPropagation([ORPHAN_FINALIZER], 'Foreground'), [FOREGROUND_FINALIZER]);
  assert.deepEqual(finalizersForPropagation([FOREGROUND_FINALIZER, 'example.com/keep'], 'Background'), ['example.com/keep']);
  assert.equal(finalizersForPropagation([ORPHAN_FINALIZER], undefined), undefined);
  assert.equal(finalizersForPropagation([FOREGROUND_FINALIZER], 'Foreground'), undefined);
});
