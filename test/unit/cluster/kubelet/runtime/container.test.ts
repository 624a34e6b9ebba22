import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../../../src/cluster/clock';
import { Container, type Termination } from '../../../../../src/cluster/kubelet/runtime/container';
import { catalogImage } from '../../../../../src/cluster/kubelet/runtime/catalog';
import { startProcess } from '../../../../../src/cluster/kubelet/runtime/interpreter';

const START = Date.parse('2026-01-01T00:00:00Z');

/** A busybox container running `script`, resumed as if started at `startedAt` (adoption). */
function resumed(clock: ManualClock, script: string, startedAt: number): { container: Container; exits: Termination[] } {
  const image = catalogImage('docker.io/library/busybox')!;
  const exits: Termination[] = [];
  const container = new Container('id', 'main', clock, { image, env: {}, files: new Map(), hostname: 'p' }, { oomKillDelay: () => 0, resumeFrom: startedAt, onExit: (t) => exits.push(t) });
  const started = startProcess(['sh', '-c', script], container);
  assert.ok(!('error' in started));
  container.start(started.process);
  return { container, exits };
}

test('a resumed `sleep` sleeps what is left of it, measured from startedAt', async () => {
  const clock = new ManualClock(START + 20 * 60_000);
  const { container, exits } = resumed(clock, 'echo begin; sleep 3600; echo end', START);
  assert.equal(container.startedAt, START);
  assert.equal(container.running, true);
  assert.deepEqual(container.log.lines(), [{ time: START, text: 'begin' }]);
  await clock.advance(40 * 60_000 - 1);
  assert.equal(container.running, true);
  await clock.advance(1);
  assert.deepEqual(exits.map((t) => [t.exitCode, t.reason, t.finishedAt]), [[0, 'Completed', START + 3_600_000]]);
  assert.deepEqual(container.log.lines().map((l) => l.text), ['begin', 'end']);
});

test('a resumed loop has printed what it would have, at the times it would have, and goes on', async () => {
  const clock = new ManualClock(START + 12_500);
  const { container } = resumed(clock, 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 5; done', START);
  assert.deepEqual(container.log.lines().map((l) => `${(l.time - START) / 1000} ${l.text}`), ['0 tick 0', '5 tick 1', '10 tick 2']);
  await clock.advance(2_500);
  assert.deepEqual(container.log.lines().at(-1), { time: START + 15_000, text: 'tick 3' });
  assert.equal(container.running, true);
});

test('a resumed process that would have ended meanwhile ends at the time it would have', () => {
  const clock = new ManualClock(START + 60_000);
  const { container, exits } = resumed(clock, 'sleep 10; exit 3', START);
  assert.equal(container.running, false);
  assert.deepEqual(exits.map((t) => [t.exitCode, t.reason, t.finishedAt]), [[3, 'Error', START + 10_000]]);
});
