import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { Coalescer, type TimerFunctions } from '../../../src/ui/coalescer';

/** Timers the test fires by hand. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  const timers: TimerFunctions = {
    set: (callback) => { pending.set(++next, callback); return next; },
    clear: (handle) => { pending.delete(handle as number); },
  };
  const fireAll = () => { for (const [id, callback] of [...pending]) { pending.delete(id); callback(); } };
  return { timers, fireAll, get armed() { return pending.size; } };
}

test('a burst of changes is one flush', () => {
  const clock = manualTimers();
  let flushes = 0;
  const coalescer = new Coalescer(() => flushes++, 100, clock.timers);
  for (let i = 0; i < 5000; i++) coalescer.schedule();
  assert.equal(clock.armed, 1);
  assert.equal(flushes, 0, 'nothing is flushed before the window closes');
  clock.fireAll();
  assert.equal(flushes, 1);
});

test('a change after a flush arms a new window', () => {
  const clock = manualTimers();
  let flushes = 0;
  const coalescer = new Coalescer(() => flushes++, 100, clock.timers);
  coalescer.schedule();
  clock.fireAll();
  coalescer.schedule();
  coalescer.schedule();
  clock.fireAll();
  assert.equal(flushes, 2);
});

test('dispose cancels a pending flush and ignores later changes', () => {
  const clock = manualTimers();
  let flushes = 0;
  const coalescer = new Coalescer(() => flushes++, 100, clock.timers);
  coalescer.schedule();
  coalescer.dispose();
  coalescer.schedule();
  clock.fireAll();
  assert.equal(flushes, 0);
  assert.equal(clock.armed, 0);
});

test('flushNow runs a pending flush at once, and only a pending one', () => {
  const clock = manualTimers();
  let flushes = 0;
  const coalescer = new Coalescer(() => flushes++, 100, clock.timers);
  coalescer.flushNow();
  assert.equal(flushes, 0, 'nothing pending, nothing flushed');
  coalescer.schedule();
  coalescer.flushNow();
  assert.equal(flushes, 1);
  assert.equal(clock.armed, 0, 'the timer is cancelled');
  clock.fireAll();
  assert.equal(flushes, 1);
});
