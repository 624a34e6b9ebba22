import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { imageDigest } from '../../../../src/cluster/kubelet/images';

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

test('an image digest is the sha256 of repository:tag, asked once or many times, past the remembered bound', () => {
  assert.equal(imageDigest('docker.io/library/nginx', '1.27'), sha256('docker.io/library/nginx:1.27'));
  assert.equal(imageDigest('docker.io/library/nginx', '1.27'), sha256('docker.io/library/nginx:1.27'));
  assert.notEqual(imageDigest('docker.io/library/nginx', '1.26'), imageDigest('docker.io/library/nginx', '1.27'));
  for (let i = 0; i < 1500; i++) assert.equal(imageDigest('example.com/app', `v${i}`), sha256(`example.com/app:v${i}`));
  assert.equal(imageDigest('docker.io/library/nginx', '1.27'), sha256('docker.io/library/nginx:1.27'));
});
