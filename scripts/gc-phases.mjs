// Sums the scavenges of a `node --trace-gc --trace-gc-nvp` log by phase (see docs/gc-scavenges.md).
//
//   node --trace-gc --trace-gc-nvp <driver> > gc.log 2>&1
//   node scripts/gc-phases.mjs gc.log [fromMs toMs]
//
// Only scavenges whose trace time (ms since the isolate started) lies in [fromMs, toMs] count; without
// bounds, lines `T0 <ms>` and `T1 <ms>` in the log (a driver's performance.now() at the start and end
// of what it measures) bound them, else every scavenge counts. "moved" is what a scavenge copies:
// `new_space_survived` (copied within the young generation) plus `promoted` (copied to the old one).
import { readFileSync } from 'node:fs';

const [file, fromArg, toArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/gc-phases.mjs <trace-gc-nvp log> [fromMs toMs]');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const from = Number(fromArg ?? /^T0 (\d+)/m.exec(text)?.[1] ?? 0);
const to = Number(toArg ?? /^T1 (\d+)/m.exec(text)?.[1] ?? Infinity);

const PHASES = [
  'pause', 'scavenge', 'scavenge.roots', 'scavenge.parallel', 'scavenge.free_remembered_set', 'scavenge.weak',
  'scavenge.weak_global_handles.identify', 'scavenge.weak_global_handles.process', 'scavenge.update_refs',
  'scavenge.sweep_array_buffers', 'heap.external_weak_global_handles', 'background.scavenge.parallel',
];
const sums = new Map();
const pauses = [];
let count = 0;
for (const line of text.split('\n')) {
  const head = /\s(\d+) ms: pause=\S+ .*\bgc=s\b/.exec(line);
  if (!head || Number(head[1]) < from || Number(head[1]) > to) continue;
  count++;
  for (const pair of line.split(' ')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const value = Number(pair.slice(eq + 1));
    if (Number.isFinite(value)) sums.set(pair.slice(0, eq), (sums.get(pair.slice(0, eq)) ?? 0) + value);
  }
  pauses.push(Number(/pause=(\S+)/.exec(line)[1]));
}
if (count === 0) {
  console.log('no scavenges in the window');
  process.exit(0);
}
const get = (k) => sums.get(k) ?? 0;
const scavenge = get('scavenge');
console.log(`scavenges ${count} (trace ms ${from}..${to})`);
console.log('phase'.padEnd(40), 'total ms'.padStart(9), 'per scavenge'.padStart(13), 'share of scavenge'.padStart(18));
for (const k of PHASES) {
  const v = get(k);
  console.log(k.padEnd(40), v.toFixed(1).padStart(9), (v / count).toFixed(2).padStart(13), k === 'pause' || k.startsWith('background') ? '' : `${((100 * v) / scavenge).toFixed(1)}%`.padStart(18));
}
const moved = get('new_space_survived') + get('promoted');
const mb = (b) => (b / 1e6).toFixed(1);
console.log(`allocated ${mb(get('allocated'))} MB; moved ${mb(moved)} MB (copied in young ${mb(get('new_space_survived'))} + promoted ${mb(get('promoted'))}), ${mb(moved / count)} MB a scavenge, ${((100 * moved) / get('allocated')).toFixed(0)}% of allocation`);
console.log(`main-thread scavenge ms per MB moved ${(scavenge / (moved / 1e6)).toFixed(2)}`);
pauses.sort((a, b) => a - b);
console.log(`pause p50 ${pauses[count >> 1]} p90 ${pauses[Math.floor(count * 0.9)]} max ${pauses[count - 1]}`);
