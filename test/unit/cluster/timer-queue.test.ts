import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PendingTimer, TimerQueue } from '../../../src/cluster/timer-queue';

test('timers come out earliest first, ties in the order they were set, past many growths', () => {
  const queue = new TimerQueue();
  const set: PendingTimer[] = [];
  let x = 12345;
  const rand = () => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x; };
  for (let seq = 0; seq < 3000; seq++) {
    const timer = new PendingTimer(1_767_225_600_000 + (rand() % 400), seq, () => undefined);
    set.push(timer);
    queue.push(timer);
    // Some taken out on the way, as a clock fires timers while others are being set.
    if (seq % 7 === 6) set.splice(set.indexOf(queue.pop()!), 1);
  }
  const expected = [...set].sort((a, b) => a.due - b.due || a.seq - b.seq);
  const got: PendingTimer[] = [];
  while (queue.length > 0) got.push(queue.pop()!);
  assert.equal(got.length, expected.length);
  assert.deepEqual(got.map((t) => t.seq), expected.map((t) => t.seq));
  assert.equal(queue.pop(), undefined);
});

test('a cancelled timer stays queued until taken out, counted apart, and lets go of its callback', () => {
  const queue = new TimerQueue();
  const a = new PendingTimer(10, 0, () => undefined);
  const b = new PendingTimer(20, 1, () => undefined);
  queue.push(a);
  queue.push(b);
  a.cancel();
  assert.equal(queue.length, 2);
  assert.equal(queue.countLive(), 1);
  assert.equal(a.callback, undefined);
  assert.equal(queue.first, a);
});
