import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifests } from '../../../../src/ui/apply/manifest';

test('every document of a multi-document buffer is a manifest, with the line it starts on', () => {
  const parsed = parseManifests(`# two pods
apiVersion: v1
kind: Pod
metadata:
  name: a
---
apiVersion: v1
kind: Pod
metadata:
  name: b
  namespace: demo
`);
  assert.deepEqual(parsed.errors, []);
  assert.deepEqual(parsed.manifests.map((m) => [m.object.metadata.name, m.line, m.document]), [['a', 2, 0], ['b', 7, 1]]);
  assert.equal(parsed.manifests[1]!.object.metadata.namespace, 'demo');
});

test('empty documents (a leading or trailing ---, comments only) are skipped', () => {
  const parsed = parseManifests('---\n# nothing here\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: only\n---\n');
  assert.deepEqual(parsed.errors, []);
  assert.deepEqual(parsed.manifests.map((m) => m.object.metadata.name), ['only']);
});

test('missing apiVersion, kind or name are reported in kubectl words, with the line', () => {
  const parsed = parseManifests('apiVersion: v1\nkind: Pod\nmetadata:\n  name: fine\n---\nmetadata:\n  labels: {}\n');
  assert.deepEqual(parsed.manifests.map((m) => m.object.metadata.name), ['fine']);
  assert.deepEqual(parsed.errors.map((e) => [e.line, e.message]), [[6, 'error validating data: [apiVersion not set, kind not set, metadata.name not set]']]);
  const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: fine\n---\nmetadata:\n  labels: {}\n';
  assert.equal(text.slice(...parsed.errors[0]!.range!).trim(), 'metadata:\n  labels: {}', 'the range covers the document');
});

test('a YAML syntax error names its line', () => {
  const parsed = parseManifests('apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n');
  assert.equal(parsed.manifests.length, 0);
  assert.equal(parsed.errors.length > 0, true);
  assert.equal(parsed.errors[0]!.line >= 4, true, `line ${parsed.errors[0]!.line}`);
});

test('a document that is not a mapping is not a Kubernetes object', () => {
  const parsed = parseManifests('- just\n- a list\n');
  assert.deepEqual(parsed.errors.map((e) => e.line), [1]);
  assert.match(parsed.errors[0]!.message, /not a Kubernetes object/);
});
