import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { imageDigest, pullErrorMessage } from '../../../../src/cluster/kubelet/images';
import { parseImageReference } from '../../../../src/cluster/kubelet/runtime/image-ref';

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

test('an image digest is the sha256 of repository:tag, asked once or many times, past the remembered bound', () => {
  assert.equal(imageDigest('docker.io/library/nginx', '1.27'), sha256('docker.io/library/nginx:1.27'));
  assert.equal(imageDigest('docker.io/library/nginx', '1.27'), sha256('docker.io/library/nginx:1.27'));
  assert.notEqual(imageDigest('docker.io/library/nginx', '1.26'), imageDigest('docker.io/library/nginx', '1.27'));
  for (let i = 0; i < 1500; i++) assert.equal(imageDigest('example.com/app', `v${i}`), sha256(`example.com/app:v${i}`));
  assert.equal(imageDigest('docker.io/library/nginx', '1.27'), sha256('docker.io/library/nginx:1.27'));
});

test('tags released upstream through 2025 pull; a tag the registry never had is not found', () => {
  for (const image of ['nginx:1.29', 'nginx:1.28-alpine', 'alpine:3.22', 'debian:trixie', 'redis:8', 'postgres:18', 'node:24', 'python:3.14', 'golang:1.25', 'mysql:9.4']) {
    assert.equal(pullErrorMessage(parseImageReference(image)!), undefined, image);
  }
  assert.match(pullErrorMessage(parseImageReference('nginx:1.99')!) ?? '', /code = NotFound desc = failed to pull and unpack image "docker.io\/library\/nginx:1.99".*: not found$/);
});
