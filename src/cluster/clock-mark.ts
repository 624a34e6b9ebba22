/**
 * The cluster clock's high-water mark in the data directory. A clock faster than real time runs
 * ahead of the machine's; restarting it at the machine's time would move cluster time backwards
 * (new objects older than old ones, expired service account tokens valid again, leases renewed in
 * the past). The clock starts from the later of the machine's time and the mark, which is written
 * every few real seconds and on stop: after a crash at most those seconds of cluster time repeat.
 */
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from './clock';

const FILE = 'clock.json';
const SAVE_EVERY_MS = 5_000;

/** Where a clock on this data directory starts: never before the time it last reached. */
export function clockStart(dataDir: string | undefined, machineNow = Date.now()): number {
  if (!dataDir) return machineNow;
  try {
    const mark = (JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as { now?: unknown }).now;
    return typeof mark === 'number' && Number.isFinite(mark) ? Math.max(machineNow, mark) : machineNow;
  } catch {
    return machineNow;
  }
}

/** Keeps the mark up to date; the returned function writes it a last time and stops. */
export function keepClockMark(dataDir: string, clock: Clock): () => void {
  const save = () => {
    try {
      const tmp = join(dataDir, `${FILE}.tmp`);
      writeFileSync(tmp, JSON.stringify({ now: clock.now() }) + '\n', { mode: 0o600 });
      renameSync(tmp, join(dataDir, FILE));
    } catch {
      // A mark not written only means a restart may start a little earlier.
    }
  };
  const timer = setInterval(save, SAVE_EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    save();
  };
}
