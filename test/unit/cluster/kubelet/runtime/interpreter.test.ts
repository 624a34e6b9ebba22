import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogImage } from '../../../../../src/cluster/kubelet/runtime/catalog';
import { effectiveArgv, startProcess, type Effect } from '../../../../../src/cluster/kubelet/runtime/interpreter';
import { parseImageReference } from '../../../../../src/cluster/kubelet/runtime/image-ref';

/** Plays a process to its end (or until it blocks forever), with a fake clock. */
function play(image: string, command?: string[], args?: string[], files: Record<string, string> = {}, env: Record<string, string> = {}) {
  const img = catalogImage(parseImageReference(image)!.repository)!;
  let now = Date.parse('2026-01-01T00:00:00Z');
  const start = now;
  const result = startProcess(effectiveArgv(img, command, args), { image: img, env, files: new Map(Object.entries(files)), hostname: 'web-0', now: () => now });
  if ('error' in result) return { error: result.error };
  const out: string[] = [];
  const effects: Effect['type'][] = [];
  for (let i = 0; i < 10_000; i++) {
    const step = result.process.next();
    if (step.done) return { out, exitCode: step.value, elapsed: now - start, effects };
    effects.push(step.value.type);
    if (step.value.type === 'out') out.push(step.value.text);
    if (step.value.type === 'serve') return { out, serving: step.value.program.ports, elapsed: now - start, effects };
    if (step.value.type === 'sleep') {
      if (step.value.ms === Infinity) return { out, blocked: true, elapsed: now - start, effects };
      now += step.value.ms;
    }
  }
  return { out, runaway: true };
}

test('busybox with no command exits 0 at once', () => {
  assert.deepEqual(play('busybox'), { out: [], exitCode: 0, elapsed: 0, effects: [] });
});

test('sleep 30 completes after 30 s', () => {
  const r = play('busybox', ['sleep', '30']);
  assert.equal(r.exitCode, 0);
  assert.equal(r.elapsed, 30_000);
});

test('nginx serves port 80 after its start-up log', () => {
  const r = play('nginx:1.27');
  assert.deepEqual(r.serving, [80]);
  assert.equal(r.out?.at(-1), 'nginx/1.27.3 start worker processes');
});

test('sh -c with ; && || and exit codes', () => {
  assert.deepEqual(play('busybox', ['sh', '-c', 'echo one; false && echo no || echo two; exit 3']).out, ['one', 'two']);
  assert.equal(play('busybox', ['sh', '-c', 'echo one; false && echo no || echo two; exit 3']).exitCode, 3);
  assert.equal(play('alpine', ['/bin/sh', '-c', 'exit 1']).exitCode, 1);
});

test('the counter loop of the logging docs prints a line a second', () => {
  const r = play('busybox', ['/bin/sh', '-c'], ['i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done']);
  assert.equal(r.runaway, true);
  assert.equal(r.out![0], '0: Thu Jan  1 00:00:00 UTC 2026');
  assert.equal(r.out![2], '2: Thu Jan  1 00:00:02 UTC 2026');
});

test('printenv and cat of a mounted ConfigMap file', () => {
  const r = play('busybox', ['sh', '-c', 'printenv GREETING; cat /etc/config/app.properties'], undefined, { '/etc/config/app.properties': 'color=blue\nsize=3\n' }, { GREETING: 'hello' });
  assert.deepEqual(r.out, ['hello', 'color=blue', 'size=3']);
});

test('an unknown command in a shell is exit 127; as exec form it cannot start', () => {
  const r = play('busybox', ['sh', '-c', 'nosuch']);
  assert.deepEqual([r.out, r.exitCode], [['sh: nosuch: not found'], 127]);
  assert.match(play('busybox', ['nosuch']).error!, /exec: "nosuch": executable file not found in \$PATH/);
});

test('the liveness exec example: files written and removed', () => {
  const r = play('busybox', undefined, ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600']);
  assert.equal(r.exitCode, 0);
  assert.equal(r.elapsed, 630_000);
});

test('postgres without a password exits 1 with its error', () => {
  const r = play('postgres:17');
  assert.equal(r.exitCode, 1);
  assert.match(r.out![0]!, /superuser password is not specified/);
  assert.deepEqual(play('postgres:17', undefined, undefined, {}, { POSTGRES_PASSWORD: 'x' }).serving, [5432]);
});

test('stress reports its memory', () => {
  const r = play('polinux/stress', ['stress'], ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1']);
  assert.ok(r.effects!.includes('memory'));
  assert.equal(r.blocked, true);
});

test('while true without sleep is busy forever, not an endless log', () => {
  const r = play('busybox', ['sh', '-c', 'while true; do :; done']);
  assert.equal(r.blocked, true);
});

test('image references normalize as containerd does', () => {
  assert.equal(parseImageReference('nginx')!.fullName, 'docker.io/library/nginx:latest');
  assert.equal(parseImageReference('nginx:1.27')!.fullName, 'docker.io/library/nginx:1.27');
  assert.equal(parseImageReference('registry.k8s.io/pause:3.10')!.repository, 'registry.k8s.io/pause');
  assert.equal(parseImageReference('localhost:5000/app')!.domain, 'localhost:5000');
  assert.equal(parseImageReference('NGINX'), undefined);
  assert.equal(parseImageReference('nginx:'), undefined);
  assert.equal(parseImageReference('nginx::1'), undefined);
});

test('messages sent to stderr with >&2, 1>&2 or 2>&1 land in the log like stdout', () => {
  const r = play('busybox', ['sh', '-c', "echo starting; sleep 5; echo 'cannot connect to database' >&2; echo again 1>&2; ls /nope 2>&1; exit 1"]);
  assert.equal(r.exitCode, 1);
  assert.equal(r.elapsed, 5_000);
  assert.deepEqual(r.out?.slice(0, 3), ['starting', 'cannot connect to database', 'again']);
});
