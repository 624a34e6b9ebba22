import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../../../src/cluster/clock';
import { catalogImage } from '../../../../../src/cluster/kubelet/runtime/catalog';
import { LineDiscipline, TerminalSession } from '../../../../../src/cluster/kubelet/runtime/exec-shell';
import type { ProcessContext } from '../../../../../src/cluster/kubelet/runtime/interpreter';

function discipline() {
  const events: string[] = [];
  let echoed = '';
  const d = new LineDiscipline({
    echo: (t) => { echoed += t; },
    line: (t) => events.push(`line ${t}`),
    eof: () => events.push('eof'),
    interrupt: () => events.push('interrupt'),
  });
  return { d, events, echoed: () => echoed };
}

test('the line discipline echoes, erases, kills the line and swallows escape sequences', () => {
  const { d, events, echoed } = discipline();
  d.feed('lx\x7fs -l');
  d.feed('\x1b[A\x1bOD'); // up arrow, left arrow
  d.feed('\r');
  assert.deepEqual(events, ['line ls -l']);
  assert.equal(echoed(), 'lx\b \bs -l\r\n');
  d.feed('junk\x15pwd\n');
  assert.deepEqual(events, ['line ls -l', 'line pwd']);
});

test('Ctrl-C interrupts and drops the line; Ctrl-D is end of input only on an empty line', () => {
  const { d, events } = discipline();
  d.feed('half\x03');
  d.feed('x\x04');
  d.feed('\x7f\x04');
  assert.deepEqual(events, ['interrupt', 'eof']);
});

function terminal(argv: string[]) {
  const clock = new ManualClock();
  const image = catalogImage('docker.io/library/busybox')!;
  const context: ProcessContext = { image, env: { GREETING: 'hello' }, files: new Map(), hostname: 'web', now: () => clock.now() };
  let screen = '';
  const ends: string[] = [];
  const flow: string[] = [];
  const session = new TerminalSession(clock, context, argv, 'e1');
  session.start({
    stdout: (t) => { screen += t; },
    stderr: (t) => { screen += `[err]${t}`; },
    exit: (code) => ends.push(`exit ${code}`),
    failed: (m) => ends.push(`failed ${m}`),
    input: { pause: () => flow.push('pause'), resume: () => flow.push('resume') },
  });
  /** Whether the client is held back now (the last flow call was a pause). */
  const held = () => flow.at(-1) === 'pause';
  return { clock, session, screen: () => screen, ends, held, type: (keys: string) => session.stdin(Buffer.from(keys)) };
}

test('sh with a terminal: a prompt, each line run with state kept, exit ends it with its code', () => {
  const t = terminal(['sh']);
  assert.equal(t.screen(), '/ # ');
  t.type('X=4\r');
  t.type('echo $GREETING $((X+1))\r');
  t.type('nosuch\r');
  t.type('echo $?\r');
  assert.equal(t.screen(), '/ # X=4\r\n/ # echo $GREETING $((X+1))\r\nhello 5\n/ # nosuch\r\n[err]sh: nosuch: not found\n/ # echo $?\r\n127\n/ # ');
  t.type('exit 6\r');
  assert.deepEqual(t.ends, ['exit 6']);
});

test('a line that sleeps holds the prompt on the cluster clock; keys typed meanwhile run after it; Ctrl-C interrupts', async () => {
  const t = terminal(['sh']);
  t.type('sleep 10\r');
  t.type('echo next\r');
  assert.ok(!t.screen().includes('next\n'));
  await t.clock.advance(10_000);
  assert.match(t.screen(), /echo next\r\n\/ # next\n\/ # $/);
  t.type('sleep 100\r');
  t.type('\x03');
  assert.match(t.screen(), /sleep 100\r\n\^C\r\n\/ # $/);
  t.type('echo $?\r\x04');
  assert.match(t.screen(), /130\n\/ # $/);
  assert.deepEqual(t.ends, ['exit 0']);
});

test('bash prompts as bash does by default; both prompts show the working directory', () => {
  const bash = terminal(['/bin/bash']);
  assert.equal(bash.screen(), 'root@web:/# ');
  bash.type('cd /etc\r');
  assert.ok(bash.screen().endsWith('root@web:/etc# '));
  const sh = terminal(['sh']);
  sh.type('cd /tmp\r');
  assert.ok(sh.screen().endsWith('\r\n/tmp # '));
});

test('a command other than a shell runs once, its stdin the lines typed until Ctrl-D', () => {
  const t = terminal(['grep', 'b']);
  t.type('abc\rxyz\r\x04');
  assert.equal(t.screen(), 'abc\r\nxyz\r\nabc\n');
  assert.deepEqual(t.ends, ['exit 0']);
});

test('type-ahead runs in order after the line that held it, an empty line among it too, however much was pasted', async () => {
  const t = terminal(['sh']);
  t.type('sleep 1\r\recho after-empty\r');
  await t.clock.advance(1_000);
  assert.match(t.screen(), /\/ # \/ # after-empty\n\/ # $/);
  t.type(`sleep 1\r${'true\r'.repeat(20_000)}echo last\r`);
  await t.clock.advance(1_000);
  assert.match(t.screen(), /last\n\/ # $/);
  t.type('echo $?\r');
  assert.match(t.screen(), /0\n\/ # $/);
});

test('a line holds at most 4095 characters, as Linux canonical mode does; the rest is neither kept nor echoed', () => {
  const { d, events, echoed } = discipline();
  d.feed('a'.repeat(5000));
  d.feed('\r');
  assert.deepEqual(events, [`line ${'a'.repeat(4095)}`]);
  assert.equal(echoed().length, 4095 + 2);
});

test('type-ahead is held to a terminal\'s 4096-byte buffer: the client is held back, nothing is lost, and it goes on as lines are used', async () => {
  const t = terminal(['sh']);
  t.type('sleep 10\r');
  const lines = Array.from({ length: 2_000 }, (_, i) => `echo line-${i}\r`);
  t.type(lines.join(''));
  assert.ok(t.held(), 'the client is held back');
  const echoed = t.screen().length;
  assert.ok(echoed < 4096 + 4096 + 100, `only what fits the buffer is taken (and echoed): ${echoed} characters on screen`);
  assert.ok(!t.screen().includes('line-1999'));
  await t.clock.advance(10_000);
  assert.ok(!t.held(), 'all of it taken once the lines ran');
  const outputs = [...t.screen().matchAll(/(line-\d+)\n/g)].map((m) => m[1]); // the typed lines' echo ends in \r\n
  assert.deepEqual(outputs, lines.map((_, i) => `line-${i}`), 'every line ran, in order');
  assert.match(t.screen(), /line-1999\n\/ # $/);
});
