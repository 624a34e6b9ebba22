import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../../../src/cluster/clock';
import { catalogImage } from '../../../../../src/cluster/kubelet/runtime/catalog';
import { diesWithContainer, ExecCommand, MAX_STDIN_BYTES } from '../../../../../src/cluster/kubelet/runtime/exec';
import type { ProcessContext } from '../../../../../src/cluster/kubelet/runtime/interpreter';

function exec(argv: string[], options: { stdin?: boolean; files?: Record<string, string> } = {}) {
  const clock = new ManualClock();
  const image = catalogImage('docker.io/library/busybox')!;
  const context: ProcessContext = { image, env: { GREETING: 'hello' }, files: new Map(Object.entries(options.files ?? {})), hostname: 'web', now: () => clock.now() };
  const events: string[] = [];
  const process = new ExecCommand(clock, context, argv, 'e1', !!options.stdin);
  process.start({
    stdout: (t) => events.push(`out ${t}`),
    stderr: (t) => events.push(`err ${t}`),
    exit: (code) => events.push(`exit ${code}`),
    failed: (message) => events.push(`failed ${message}`),
  });
  return { clock, events, process, context };
}

test('output comes as printed, sleep waits on the cluster clock, the exit code ends it', async () => {
  const { clock, events } = exec(['sh', '-c', 'echo a; sleep 10; echo b >&2; exit 4']);
  assert.deepEqual(events, ['out a\n']);
  await clock.advance(9_999);
  assert.deepEqual(events, ['out a\n']);
  await clock.advance(1);
  assert.deepEqual(events, ['out a\n', 'err b\n', 'exit 4']);
});

test('the container context: env, hostname, mounted files; errors on stderr', () => {
  const { events } = exec(['sh', '-c', 'printenv GREETING; hostname; cat /etc/config/app.properties; cat /nope'], { files: { '/etc/config/app.properties': 'color=blue\n' } });
  assert.deepEqual(events, ['out hello\n', 'out web\n', 'out color=blue\n', "err cat: can't open '/nope': No such file or directory\n", 'exit 1']);
});

test('stdin is handed to the process that reads it once the client closes it', () => {
  const { events, process } = exec(['grep', 'b'], { stdin: true });
  assert.deepEqual(events, []);
  process.stdin(Buffer.from('a\nb'));
  process.stdin(Buffer.from('c\nab\n'));
  assert.deepEqual(events, []);
  process.closeStdin();
  assert.deepEqual(events, ['out bc\n', 'out ab\n', 'exit 0']);
});

test('sh without a script runs the one on stdin', () => {
  const { events, process } = exec(['sh'], { stdin: true });
  process.stdin(Buffer.from('X=1\necho $X; exit 2\n'));
  process.closeStdin();
  assert.deepEqual(events, ['out 1\n', 'exit 2']);
});

test('a process that never reads stdin does not wait for it', () => {
  const { events } = exec(['echo', 'hi'], { stdin: true });
  assert.deepEqual(events, ['out hi\n', 'exit 0']);
});

test('killed while sleeping, it never exits', async () => {
  const { clock, events, process } = exec(['sh', '-c', 'sleep 5; echo late']);
  process.kill();
  await clock.advance(10_000);
  assert.deepEqual(events, []);
});

test('a program the image does not have fails as containerd reports it', () => {
  const { events } = exec(['nosuch']);
  assert.deepEqual(events, ['failed failed to exec in container: failed to start exec "e1": OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuch": executable file not found in $PATH: unknown']);
});

test('an empty command reaches the runtime, which refuses it as runc does (nothing before it checks)', () => {
  const { events } = exec([]);
  assert.deepEqual(events, ['failed failed to exec in container: failed to start exec "e1": OCI runtime exec failed: exec failed: args must not be empty: unknown']);
});

test('a file the command writes is the container\'s', () => {
  const { events, context } = exec(['sh', '-c', 'echo saved > /tmp/x; echo gone 2>/dev/null; cat /missing 2>/dev/null']);
  assert.deepEqual(events, ['out gone\n', 'exit 1']);
  assert.equal(context.files.get('/tmp/x'), 'saved\n');
});

test('a process outlives nothing: its container stopping kills it with exit code 137', async () => {
  const clock = new ManualClock();
  const image = catalogImage('docker.io/library/busybox')!;
  const context: ProcessContext = { image, env: {}, files: new Map(), hostname: 'web', now: () => clock.now() };
  let running = true;
  const events: string[] = [];
  const process = diesWithContainer(clock, () => running, new ExecCommand(clock, context, ['sh', '-c', 'echo up; sleep infinity'], 'e1', false));
  process.start({ stdout: (t) => events.push(`out ${t}`), stderr: () => {}, exit: (code) => events.push(`exit ${code}`), failed: () => {} });
  await clock.advance(60_000);
  assert.deepEqual(events, ['out up\n']);
  running = false;
  await clock.advance(1_000);
  assert.deepEqual(events, ['out up\n', 'exit 137']);
  await clock.advance(10_000);
  assert.deepEqual(events, ['out up\n', 'exit 137']);
});

test('a process that ends by itself leaves no check behind', async () => {
  const clock = new ManualClock();
  const image = catalogImage('docker.io/library/busybox')!;
  const context: ProcessContext = { image, env: {}, files: new Map(), hostname: 'web', now: () => clock.now() };
  let checks = 0;
  const events: string[] = [];
  const process = diesWithContainer(clock, () => { checks++; return true; }, new ExecCommand(clock, context, ['sleep', '2'], 'e1', false));
  process.start({ stdout: () => {}, stderr: () => {}, exit: (code) => events.push(`exit ${code}`), failed: () => {} });
  await clock.advance(2_000);
  assert.deepEqual(events, ['exit 0']);
  const after = checks;
  await clock.advance(10_000);
  assert.equal(checks, after);
});

test('cd, pwd and relative paths; ls lists a directory\'s entries; test -d', () => {
  const files = { '/etc/config/app.properties': 'color=blue\n', '/etc/config/MODE': 'debug' };
  const { events } = exec(['sh', '-c', 'cd /etc/config && pwd && cat app.properties && ls && ls .. && cd ../nope; echo $?; test -d /etc/config && ls /nope'], { files });
  assert.deepEqual(events, [
    'out /etc/config\n', 'out color=blue\n', 'out MODE\n', 'out app.properties\n', 'out config\n',
    "err sh: cd: can't cd to ../nope: No such file or directory\n", 'out 2\n', 'err ls: /nope: No such file or directory\n', 'exit 1',
  ]);
});

test('a process that prints waits while its client is behind, and goes on once it has caught up', () => {
  const clock = new ManualClock();
  const context: ProcessContext = { image: catalogImage('docker.io/library/busybox')!, env: {}, files: new Map(), hostname: 'web', now: () => clock.now() };
  const events: string[] = [];
  let behind = true;
  let resume: (() => void) | undefined;
  new ExecCommand(clock, context, ['seq', '3'], 'e1', false).start({
    stdout: (t) => events.push(`out ${t}`),
    stderr: (t) => events.push(`err ${t}`),
    exit: (code) => events.push(`exit ${code}`),
    failed: (message) => events.push(`failed ${message}`),
    flow: { blocked: () => behind, drained: (r) => { resume = r; } },
  });
  assert.deepEqual(events, ['out 1\n']);
  behind = false;
  resume!();
  assert.deepEqual(events, ['out 1\n', 'out 2\n', 'out 3\n', 'exit 0']);
});

test('stdin streamed past what an exec holds fails the exec instead of growing without end', () => {
  const { events, process } = exec(['cat'], { stdin: true });
  const chunk = Buffer.alloc(1024 * 1024, 97);
  for (let i = 0; i * chunk.length < MAX_STDIN_BYTES; i++) process.stdin(chunk);
  assert.deepEqual(events, []);
  process.stdin(Buffer.from('one byte more'));
  assert.equal(events.length, 1);
  assert.match(events[0]!, /^failed .*over 16 MiB/);
  process.stdin(chunk);
  process.closeStdin();
  assert.equal(events.length, 1, 'nothing after the failure');
});
