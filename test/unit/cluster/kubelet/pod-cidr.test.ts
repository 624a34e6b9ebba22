import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podCIDR } from '../../../../src/cluster/kubelet/node-status';
import { Kubelet } from '../../../../src/cluster/kubelet/kubelet';
import { compactIP, ipText } from '../../../../src/cluster/kubelet/pod-ip';
import { ApiClient } from '../../../../src/cluster/client/client';
import { ManualClock } from '../../../../src/cluster/clock';

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

test("a kubelet gives each pod a free IP of its node's CIDR, and one given back goes to the next pod; IPs of other networks free nothing", () => {
  const clock = new ManualClock();
  const client = new ApiClient(async () => ({ status: 500, headers: {}, body: {} }), { name: 'system:node:node-300', groups: ['system:nodes'] });
  // Past the first 255 nodes: a CIDR of its own beyond 10.244.0.0/16.
  const kubelet = new Kubelet({ config: { name: 'node-300' }, index: 300, client, clock });
  const given = Array.from({ length: 253 }, () => ipText(kubelet.allocatePodIP()));
  assert.equal(given[0], '10.245.44.2');
  assert.equal(given[252], '10.245.44.254');
  assert.equal(new Set(given).size, 253);
  assert.ok(given.every((ip) => ip.startsWith('10.245.44.') && podCIDR(300) === '10.245.44.0/24'));
  kubelet.releasePodIP(compactIP('10.245.44.9'));
  // Not this node's: the host's own IP (a hostNetwork pod), the same host number of another CIDR.
  kubelet.releasePodIP(compactIP(kubelet.hostIP));
  kubelet.releasePodIP(compactIP('10.245.45.10'));
  kubelet.releasePodIP('10.245.44.x');
  assert.equal(ipText(kubelet.allocatePodIP()), '10.245.44.9');
  // Full again: the allocator has nothing free and answers with the first host.
  assert.equal(ipText(kubelet.allocatePodIP()), '10.245.44.2');
  // An IP given back as text (an adopted pod's) is freed as well.
  kubelet.releasePodIP('10.245.44.77');
  assert.equal(ipText(kubelet.allocatePodIP()), '10.245.44.77');
});
