import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTime, managerIdentity } from '../../../../../src/cluster/apiserver/patch/managed-fields';

test('managedFields times are RFC 3339 to the second, whichever write of a second asks, and from a text too', () => {
  const t = Date.parse('2026-03-04T05:06:07Z');
  assert.equal(formatTime(t + 999), '2026-03-04T05:06:07Z');
  assert.equal(formatTime(t + 1000), '2026-03-04T05:06:08Z');
  assert.equal(formatTime(t), '2026-03-04T05:06:07Z');
  assert.equal(formatTime('2026-03-04T05:06:09.500Z'), '2026-03-04T05:06:09Z');
  assert.equal(formatTime(t + 1500), '2026-03-04T05:06:08Z');
});

test('a manager\'s identity is the JSON text of its manager, operation, apiVersion (Update only) and subresource', () => {
  const asObject = (m: { manager?: string; operation: 'Apply' | 'Update'; apiVersion?: string; subresource?: string }) => {
    const id: Record<string, string | undefined> = { manager: m.manager, operation: m.operation };
    if (m.operation === 'Update') id.apiVersion = m.apiVersion;
    if (m.subresource) id.subresource = m.subresource;
    return JSON.stringify(id);
  };
  // Twice over, in both orders: identities are remembered, and the neighbours of one never get its text.
  const managers = [
    { manager: 'kubelet', operation: 'Update' as const, apiVersion: 'v1', subresource: 'status' },
    { manager: 'kubelet', operation: 'Update' as const, apiVersion: 'v1' },
    { manager: 'kubelet', operation: 'Update' as const, apiVersion: 'v2', subresource: 'status' },
    { manager: 'kubelet', operation: 'Apply' as const, apiVersion: 'v1', subresource: 'status' },
    { manager: 'kubectl', operation: 'Apply' as const, apiVersion: 'v1' },
    { manager: 'kubectl', operation: 'Apply' as const, apiVersion: 'apps/v1' },
    { manager: 'we"ird\\\n\u0001', operation: 'Update' as const, apiVersion: 'v1', subresource: '' },
    { manager: 'no-version', operation: 'Update' as const },
    { operation: 'Update' as const, apiVersion: 'v1' },
  ];
  for (const m of [...managers, ...managers.slice().reverse()]) {
    assert.equal(managerIdentity(m as Parameters<typeof managerIdentity>[0]), asObject(m));
  }
});
