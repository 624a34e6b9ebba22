import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podCIDR } from '../../../../src/cluster/kubelet/node-status';

test("node pod CIDRs: kind's 10.244.N.0/24 for the first 255 nodes, then /24s of their own for every node up to 5,000, none in the service range", () => {
  assert.equal(podCIDR(1), '10.244.1.0/24');
  assert.equal(podCIDR(255), '10.244.255.0/24');
  assert.equal(podCIDR(256), '10.245.0.0/24');
  const seen = new Set<string>();
  for (let node = 1; node <= 5000; node++) {
    const cidr = podCIDR(node);
    assert.ok(!seen.has(cidr), `node ${node} repeats ${cidr}`);
    seen.add(cidr);
    const second = Number(cidr.split('.')[1]);
    assert.ok(second < 96 || second >= 112, `node ${node}: ${cidr} is in 10.96.0.0/12`);
  }
});
