import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageReference, parseImageReference } from '../../../../../src/cluster/kubelet/runtime/image-ref';

test('imageReference answers as parseImageReference does, one frozen object per image text', () => {
  for (const image of ['nginx:1.27', 'nginx', 'registry.k8s.io/pause:3.10', 'localhost:5000/team/app@sha256:' + 'a'.repeat(64), 'quay.io/org/x:v1']) {
    const ref = imageReference(image);
    assert.deepEqual(ref, parseImageReference(image));
    assert.equal(imageReference(image), ref);
    assert.ok(Object.isFrozen(ref));
  }
  assert.equal(imageReference('nginx:1.27')!.fullName, 'docker.io/library/nginx:1.27');
});

test('an invalid image text has no reference, also when asked again', () => {
  for (const image of ['', 'NGINX', 'nginx:', ' nginx', 'a/b//c']) {
    assert.equal(parseImageReference(image), undefined);
    assert.equal(imageReference(image), undefined);
    assert.equal(imageReference(image), undefined);
  }
});
