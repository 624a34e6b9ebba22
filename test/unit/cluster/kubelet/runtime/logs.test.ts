import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContainerLog } from '../../../../../src/cluster/kubelet/runtime/logs';

const T = Date.parse('2026-01-01T00:00:00Z');

test('a log keeps every line with its own time, however compactly it holds them between appends', () => {
  const startLog = ['starting', 'ready'];
  const log = new ContainerLog();
  log.append(T, 'starting');
  log.append(T, 'ready');
  log.settle(startLog);
  assert.deepEqual(log.lines(), [{ time: T, text: 'starting' }, { time: T, text: 'ready' }]);
  // A line after settling (at another time) must not change the shared start-up lines.
  log.append(T + 5000, 'GET / 200');
  assert.deepEqual(startLog, ['starting', 'ready']);
  assert.deepEqual(log.lines(), [{ time: T, text: 'starting' }, { time: T, text: 'ready' }, { time: T + 5000, text: 'GET / 200' }]);
  log.settle();
  log.append(T + 6000, 'GET / 404');
  assert.deepEqual(log.lines().map((l) => [l.time - T, l.text]), [[0, 'starting'], [0, 'ready'], [5000, 'GET / 200'], [6000, 'GET / 404']]);
});

test('lines unlike the shared ones are kept as they are; followers see each line once', () => {
  const log = new ContainerLog();
  const seen: string[] = [];
  log.follow((line) => seen.push(`${line.time - T} ${line.text}`), () => seen.push('end'));
  log.append(T, 'a');
  log.append(T, 'b');
  log.settle(['a', 'c']);
  log.append(T, 'c');
  log.end();
  log.settle();
  assert.deepEqual(log.lines().map((l) => l.text), ['a', 'b', 'c']);
  assert.deepEqual(seen, ['0 a', '0 b', '0 c', 'end']);
  assert.equal(new ContainerLog().lines().length, 0);
});
