import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldPath } from '../../../../src/cluster/api/field-errors';

test('field paths read as field.Path prints them, however deep and in whatever order they are read', () => {
  const spec = FieldPath.root('spec');
  const image = spec.child('containers').index(0).child('image');
  const label = FieldPath.root('metadata').child('labels').key('app.kubernetes.io/name');
  // A child read before its parent, and a parent shared by two children.
  assert.equal(image.toString(), 'spec.containers[0].image');
  assert.equal(spec.child('containers').index(12).child('ports').index(1).child('containerPort').toString(), 'spec.containers[12].ports[1].containerPort');
  assert.equal(`${label}`, 'metadata.labels[app.kubernetes.io/name]');
  assert.equal(image.toString(), 'spec.containers[0].image');
  assert.equal(spec.toString(), 'spec');
  // An empty root: its first child stands alone (validation of a bare value).
  assert.equal(FieldPath.root('').child('replicas').toString(), 'replicas');
  assert.equal(FieldPath.root('').index(3).toString(), '[3]');
});
