import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImageLocality, imageLocalityScore, MIN_THRESHOLD } from '../../../../../src/cluster/scheduler/plugins/image-locality';
import { SchedulerCache } from '../../../../../src/cluster/scheduler/cache/cache';
import { ManualClock } from '../../../../../src/cluster/clock';
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

test('ImageLocality follows the cluster: a node that pulls the image, and the image spreading to more nodes, change the scores of the same workload', () => {
  const cache = new SchedulerCache(new ManualClock());
  const nginx = [{ names: ['docker.io/library/nginx:1.27', 'nginx:1.27'], sizeBytes: 500 * MB }];
  cache.addNode(node('a', { images: nginx }));
  cache.addNode(node('b'));
  cache.addNode(node('c'));
  const fwk = frameworkOver(cache.snapshot());
  const plugin = new ImageLocality(fwk);
  const replica = pod('web-1', { image: 'nginx:1.27' });
  const score = (nodeName: string, p = replica) => {
    fwk.setSnapshot(cache.snapshot());
    return plugin.score(newState(), podInfo(p), cache.snapshot().get(nodeName)!);
  };
  const expected = (nodesWithImage: number) => imageLocalityScore(Math.trunc(500 * MB * (nodesWithImage / 3)), 1);
  assert.equal(score('a'), expected(1));
  assert.equal(score('b'), 0);
  cache.updateNode(node('b', { images: nginx }));
  assert.equal(score('b'), expected(2), 'b pulled the image');
  assert.equal(score('a', pod('web-2', { image: 'nginx:1.27' })), expected(2), 'the image is on two of three nodes now');
  cache.updateNode(node('a'));
  assert.equal(score('a', pod('web-3', { image: 'nginx:1.27' })), 0, 'a no longer has it');
});
