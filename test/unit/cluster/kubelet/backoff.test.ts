import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackOff } from '../../../../src/cluster/kubelet/backoff';
import { goDuration, goSeconds } from '../../../../src/cluster/kubelet/behaviour';

test('restarts back off 10 s, 20 s, 40 s … up to 5 min', () => {
  let now = 0;
  const backOff = new BackOff({ initialMs: 10_000, maxMs: 300_000 }, () => now);
  const waits: number[] = [];
  for (let i = 0; i < 8; i++) waits.push(backOff.next('pod/c', now));
  assert.deepEqual(waits.map(goDuration), ['10s', '20s', '40s', '1m20s', '2m40s', '5m0s', '5m0s', '5m0s']);
});

test('a container that ran more than 10 minutes starts over at 10 s', () => {
  let now = 0;
  const backOff = new BackOff({ initialMs: 10_000, maxMs: 300_000 }, () => now);
  backOff.next('pod/c', now);
  backOff.next('pod/c', now);
  now = 5_000;
  assert.equal(backOff.inBackOffSince('pod/c', 4_000), 20_000, 'still waiting 20 s after its exit');
  now = 11 * 60_000;
  assert.equal(backOff.inBackOffSince('pod/c', now), undefined, 'expired: restart at once');
  assert.equal(backOff.next('pod/c', now), 10_000);
});

test('Go duration formats in messages', () => {
  assert.equal(goSeconds(1805), '1.805s');
  assert.equal(goSeconds(1800), '1.8s');
  assert.equal(goSeconds(512), '512ms');
});
