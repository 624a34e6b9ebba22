import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectionFor } from '../../../../../src/cluster/apiserver/registry/selection';
import { pods } from '../../../../../src/cluster/apiserver/registry/kinds/pods';
import type { Pod } from '../../../../../src/cluster/api/types';

const pod = (name: string, nodeName: string | undefined, labels?: Record<string, string>): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) }, spec: { containers: [], ...(nodeName ? { nodeName } : {}) },
});

test('one selection matches object after object by each one\'s own fields and labels', () => {
  const bound = selectionFor(pods, null, 'spec.nodeName!=');
  assert.deepEqual([pod('a', 'node-1'), pod('b', undefined), pod('c', 'node-2'), pod('d', '')].map((p) => bound.matches(p)), [true, false, true, false]);

  const both = selectionFor(pods, 'app=web,tier!=db', 'spec.nodeName=node-1,metadata.name!=skip');
  const results = [
    pod('a', 'node-1', { app: 'web' }),
    pod('skip', 'node-1', { app: 'web' }),
    pod('b', 'node-2', { app: 'web' }),
    pod('c', 'node-1', { app: 'web', tier: 'db' }),
    pod('d', 'node-1'),
    pod('e', 'node-1', { app: 'web', tier: 'front' }),
  ].map((p) => both.matches(p));
  assert.deepEqual(results, [true, false, false, false, false, true]);
});

test('a label selector alone: an object without labels matches only requirements that want a label absent', () => {
  assert.equal(selectionFor(pods, '!tier', null).matches(pod('a', undefined)), true);
  assert.equal(selectionFor(pods, 'tier notin (db)', null).matches(pod('a', undefined)), true);
  assert.equal(selectionFor(pods, 'app', null).matches(pod('a', undefined)), false);
  assert.equal(selectionFor(pods, 'app=web', null).matches(pod('a', undefined, { app: 'web' })), true);
});
