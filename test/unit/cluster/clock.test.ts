import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, VirtualClock } from '../../../src/cluster/clock';

test('a manual clock stands still until advanced', async () => {
  const clock = new ManualClock(1_000);
  assert.equal(clock.now(), 1_000);
  assert.equal(clock.state, 'paused');
  await clock.advance(250);
  assert.equal(clock.now(), 1_250);
});

test('timers fire in order of due time, ties in the order they were set, at their virtual time', async () => {
  const clock = new ManualClock(0);
  const fired: string[] = [];
  clock.setTimer(30, () => fired.push(`c@${clock.now()}`));
  clock.setTimer(10, () => fired.push(`a@${clock.now()}`));
  clock.setTimer(10, () => fired.push(`b@${clock.now()}`));
  clock.setTimer(31, () => fired.push('late'));
  await clock.advance(30);
  assert.deepEqual(fired, ['a@10', 'b@10', 'c@30']);
  await clock.advance(1);
  assert.deepEqual(fired.at(-1), 'late');
});

test('a cancelled timer never fires', async () => {
  const clock = new ManualClock(0);
  let fired = false;
  const timer = clock.setTimer(5, () => { fired = true; });
  timer.cancel();
  await clock.advance(10);
  assert.equal(fired, false);
  assert.equal(clock.pendingTimers, 0);
});

test('promise chains started by a timer settle before the next timer fires', async () => {
  const clock = new ManualClock(0);
  const log: string[] = [];
  clock.setTimer(1, () => {
    void Promise.resolve().then(() => Promise.resolve()).then(() => log.push('chain done'));
  });
  clock.setTimer(2, () => log.push('second timer'));
  await clock.advance(2);
  assert.deepEqual(log, ['chain done', 'second timer']);
});

test('timers set by a timer during advance fire within the same advance when due', async () => {
  const clock = new ManualClock(0);
  const at: number[] = [];
  const tick = () => { at.push(clock.now()); if (at.length < 5) clock.setTimer(10, tick); };
  clock.setTimer(10, tick);
  await clock.advance(35);
  assert.deepEqual(at, [10, 20, 30]);
  await clock.advance(100);
  assert.deepEqual(at, [10, 20, 30, 40, 50]);
});

test('sleep resolves after the given cluster time', async () => {
  const clock = new ManualClock(0);
  let woke = -1;
  void clock.sleep(40).then(() => { woke = clock.now(); });
  await clock.advance(39);
  assert.equal(woke, -1);
  await clock.advance(1);
  assert.equal(woke, 40);
});

test('at unlimited speed, virtual time jumps from timer to timer without waiting', async () => {
  const clock = new VirtualClock({ start: 0, speed: Infinity });
  const hour = 3_600_000;
  await clock.sleep(hour);
  assert.ok(clock.now() >= hour);
  clock.dispose();
});

test('pause stops time and resume continues from where it stopped; speed must be positive', async () => {
  const clock = new VirtualClock({ start: 0, speed: 1 });
  clock.pause();
  const t = clock.now();
  await clock.advance(0);
  assert.equal(clock.now(), t);
  assert.equal(clock.state, 'paused');
  clock.resume();
  assert.equal(clock.state, 'running');
  assert.ok(clock.now() >= t);
  assert.throws(() => clock.setSpeed(0), /greater than 0/);
  assert.throws(() => new VirtualClock({ speed: -1 }), /greater than 0/);
  clock.dispose();
});

test('listeners hear about pause, resume, speed changes and advances', async () => {
  const clock = new ManualClock(0);
  let changes = 0;
  const off = clock.onDidChange(() => changes++);
  clock.resume();
  clock.pause();
  clock.setSpeed(10);
  await clock.advance(1);
  off();
  await clock.advance(1);
  assert.equal(changes, 4);
});

test('work named with setPendingWork (a write waiting for its fsync) lands before the next timer fires', async () => {
  // Stands in for a store write: acknowledged only after real I/O, which event loop turns alone do not wait for.
  const io = () => new Promise<void>((resolve) => setTimeout(resolve, 30));
  const run = async (withPendingWork: boolean): Promise<string[]> => {
    const clock = new ManualClock();
    let inFlight: Promise<void> | undefined;
    if (withPendingWork) clock.setPendingWork(() => inFlight);
    const seen: string[] = [];
    clock.setTimer(10_000, () => {
      inFlight = io().then(() => { seen.push('lease renewed'); inFlight = undefined; });
    });
    clock.setTimer(10_001, () => seen.push('lease checked'));
    await clock.advance(20_000);
    await inFlight;
    return seen;
  };
  assert.deepEqual(await run(false), ['lease checked', 'lease renewed']);
  assert.deepEqual(await run(true), ['lease renewed', 'lease checked']);
});

test('pending work that never goes quiet delays timers but does not starve them', async () => {
  const clock = new ManualClock();
  // A store that always has a write waiting (a client writing in a loop).
  clock.setPendingWork(() => new Promise<void>((resolve) => setImmediate(resolve)));
  let fired = false;
  clock.setTimer(1_000, () => { fired = true; });
  await clock.advance(1_000);
  assert.equal(fired, true);
  clock.setSpeed(Infinity);
  clock.resume();
  const second = new Promise<void>((resolve) => clock.setTimer(1_000, resolve));
  await second;
  clock.dispose();
});
