import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactIP, ipText } from '../../../../src/cluster/kubelet/pod-ip';

test('an IPv4 pod IP is kept as a number and shown as the same text', () => {
  for (const ip of ['10.244.3.17', '10.244.0.2', '0.0.0.0', '255.255.255.255', '192.168.1.254', '172.18.0.3']) {
    const kept = compactIP(ip);
    assert.equal(typeof kept, 'number', ip);
    assert.equal(ipText(kept), ip);
  }
});

test('text that would not come back the same stays text: IPv6, leading zeros, parts past 255, anything else', () => {
  for (const ip of ['fd00::1', '10.244.03.17', '10.244.3.256', '10.244.3', '1.2.3.4.5', '', 'node-1']) {
    assert.equal(compactIP(ip), ip);
    assert.equal(ipText(compactIP(ip)), ip);
  }
});

test('distinct addresses stay distinct (the status compares kept IPs)', () => {
  assert.notEqual(compactIP('10.244.1.5'), compactIP('10.244.5.1'));
  assert.notEqual(compactIP('128.0.0.1'), compactIP('0.0.0.1'));
});
