/** A restarted cluster's clock never starts before the time its data directory's clock reached. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/cluster/clock';
import { clockStart, keepClockMark } from '../../../src/cluster/clock-mark';

test('a clock that ran ahead of the machine restarts where it was, not at the machine\'s time', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-sim-clock-'));
  try {
    const machineNow = Date.parse('2026-06-01T12:00:00Z');
    assert.equal(clockStart(dir, machineNow), machineNow, 'no mark yet');
    const clock = new ManualClock(machineNow);
    const stop = keepClockMark(dir, clock);
    await clock.advance(3 * 3600_000); // three hours ahead, as a clock at speed 10 gets in 20 minutes
    stop();
    assert.equal(clockStart(dir, machineNow + 60_000), machineNow + 3 * 3600_000);
    assert.equal(clockStart(dir, machineNow + 4 * 3600_000), machineNow + 4 * 3600_000, 'the machine caught up');
    writeFileSync(join(dir, 'clock.json'), 'not json');
    assert.equal(clockStart(dir, machineNow), machineNow);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
