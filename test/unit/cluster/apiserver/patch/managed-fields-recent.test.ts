import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recentKey } from '../../../../../src/cluster/apiserver/patch/managed-fields-recent';
import { FieldSet, fieldPath } from '../../../../../src/cluster/apiserver/patch/field-set';
import { deepFreeze } from '../../../../../src/cluster/api/deep-freeze';
import type { ManagedFieldsEntry } from '../../../../../src/cluster/api/types';

test('the key of a write is the same for equal entries whether their field sets are frozen (their number remembered) or not, and differs when anything the answer depends on differs', () => {
  const fields = () => ({ 'f:status': { 'f:phase': {}, 'f:conditions': { 'k:{"type":"Ready"}': { '.': {}, 'f:status': {} } } } });
  const entry = (fieldsV1: Record<string, unknown>, subresource?: string): ManagedFieldsEntry => ({ manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1, ...(subresource ? { subresource } : {}) });
  const who = { manager: 'kubelet', operation: 'Update' as const, apiVersion: 'v1', subresource: 'status', time: '2026-01-01T00:00:01Z' };
  const changes = { added: new FieldSet([fieldPath('status', 'podIP')]), modified: new FieldSet([fieldPath('status', 'phase')]), removed: new FieldSet() };
  const frozen = deepFreeze(fields());
  const plain = recentKey([entry(fields(), 'status')], who, changes);
  assert.equal(recentKey([entry(frozen, 'status')], who, changes), plain);
  assert.equal(recentKey([entry(frozen, 'status')], who, changes), plain);
  // Everything the entry's new value depends on is in the key.
  assert.notEqual(recentKey([entry(frozen)], who, changes), plain);
  assert.notEqual(recentKey([entry(deepFreeze({ 'f:status': { 'f:phase': {} } }), 'status')], who, changes), plain);
  assert.notEqual(recentKey([{ ...entry(frozen, 'status'), apiVersion: 'v2' }], who, changes), plain);
  assert.notEqual(recentKey([entry(frozen, 'status')], who, { ...changes, removed: new FieldSet([fieldPath('status', 'hostIP')]) }), plain);
  // The same set spelled with its members in another order is another text: another key.
  const reordered = { 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { '.': {}, 'f:status': {} } }, 'f:phase': {} } };
  assert.notEqual(recentKey([entry(reordered, 'status')], who, changes), plain);
  // The key is short whatever the sets hold: numbers stand for their texts.
  assert.ok(plain.length < 200, plain);
});
