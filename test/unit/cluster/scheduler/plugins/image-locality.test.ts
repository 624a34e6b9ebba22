import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImageLocality, imageLocalityScore, MIN_THRESHOLD } from '../../../../../src/cluster/scheduler/plugins/image-locality';
import { newState, frameworkOver, node, nodeInfo, pod, podInfo, snapshotOf } from '../fixtures';

const MB = 1024 * 1024;

test('ImageLocality scores nodes that already have the image, scaled by its spread', () => {
  assert.equal(imageLocalityScore(0, 1), 0);
  assert.equal(imageLocalityScore(MIN_THRESHOLD, 1), 0);
  assert.equal(imageLocalityScore(1000 * MB, 1), 100);
  const nodes = [
    nodeInfo(node('has', { images: [{ names: ['docker.io/library/nginx:1.27', 'nginx:1.27'], sizeBytes: 500 * MB }] })),
    nodeInfo(node('none')),
  ];
  const fwk = frameworkOver(snapshotOf(nodes));
  const plugin = new ImageLocality(fwk);
  const p = podInfo(pod('p', { image: 'nginx:1.27' }));
  // 500MB × (1 of 2 nodes) = 250MB → 100 × (250 − 23) / (1000 − 23)
  assert.equal(plugin.score(newState(), p, nodes[0]!), Math.trunc((100 * (250 * MB - 23 * MB)) / (977 * MB)));
  assert.equal(plugin.score(newState(), p, nodes[1]!), 0);
  // An untagged image means :latest.
  assert.equal(plugin.score(newState(), podInfo(pod('q', { image: 'nginx' })), nodes[0]!), 0);
});
