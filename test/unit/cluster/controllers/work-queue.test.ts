/** The controllers' work queue: delayed keys on the cluster clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../../src/cluster/clock';
import { WorkQueue } from '../../../../src/cluster/controllers/work-queue';

function counting(clock: ManualClock) {
  const runs: number[] = [];
  const queue = new WorkQueue(clock, async () => {
    runs.push(clock.now());
  });
  return { queue, runs };
}

test('a key asked for again and again at the same time waits on one timer and runs once', async () => {
  const clock = new ManualClock();
  const start = clock.now();
  const { queue, runs } = counting(clock);
  for (let i = 0; i < 1000; i++) queue.addAfter('default/web', 5_000);
  await clock.advance(10_000);
  await queue.idle();
  assert.deepEqual(runs, [start + 5_000]);
  queue.stop();
});

test('the soonest time asked for wins (client-go delaying queue); a later ask while one is pending adds nothing', async () => {
  const clock = new ManualClock();
  const start = clock.now();
  const { queue, runs } = counting(clock);
  queue.addAfter('default/web', 5_000);
  queue.addAfter('default/web', 1_000);
  queue.addAfter('default/web', 3_000);
  queue.addAfter('default/other', 2_000);
  await clock.advance(10_000);
  await queue.idle();
  assert.deepEqual(runs, [start + 1_000, start + 2_000]);
  // Once it has fired, the key can wait again.
  queue.addAfter('default/web', 1_000);
  await clock.advance(2_000);
  await queue.idle();
  assert.deepEqual(runs, [start + 1_000, start + 2_000, start + 11_000]);
  queue.stop();
});
