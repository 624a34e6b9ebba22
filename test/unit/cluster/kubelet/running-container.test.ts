/**
 * What a user sees of a running container that the kubelet keeps compactly (runtime/container.ts,
 * container-record.ts): its id, its logs now and after a restart, its files and environment to
 * `kubectl exec`, its probes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLogLines } from '../../../../src/cluster/kubelet/runtime/logs';
import { startProcess } from '../../../../src/cluster/kubelet/runtime/interpreter';
import type { Container } from '../../../../src/cluster/kubelet/runtime/container';
import type { PodWorker } from '../../../../src/cluster/kubelet/pod-worker';
import { FakeHost, makePod } from './fake-host';

/** The stdout of `argv` run in the container, as `kubectl exec` runs it (effects played at once). */
function exec(container: Container, argv: string[]): string {
  const started = startProcess(argv, container.context);
  assert.ok(!('error' in started));
  let out = '';
  for (let next = started.process.next(); !next.done; next = started.process.next()) if (next.value.type === 'out') out += `${next.value.text}\n`;
  return out;
}

async function untilRestarted(host: FakeHost, worker: PodWorker, restarts: number): Promise<void> {
  for (let i = 0; i < 120 && !(host.status.containerStatuses?.[0]?.restartCount === restarts && host.status.containerStatuses[0].state?.running); i++) await host.clock.advance(1000);
  assert.equal(host.status.containerStatuses![0]!.restartCount, restarts);
  assert.ok(worker.runningContainer('app'));
}

test('a restarted container has a new id; each id stays the same for its life; logs and --previous follow the restart', async () => {
  const host = new FakeHost();
  const worker = host.worker(makePod({ containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo "hello from $HOSTNAME"; sleep 5; echo bye; exit 1'] }] }));
  await host.clock.advance(5000);
  const first = host.status.containerStatuses![0]!.containerID!;
  assert.match(first, /^containerd:\/\/[0-9a-f]{64}$/);
  assert.equal(worker.idOf(worker.runningContainer('app')!), first.slice('containerd://'.length));
  assert.deepEqual(worker.log('app', false).lines().map((l) => l.text), ['hello from web']);
  assert.throws(() => worker.log('app', true), /previous terminated container "app" in pod "web" not found/);

  await untilRestarted(host, worker, 1);
  const c = host.status.containerStatuses![0]!;
  const second = c.containerID!;
  assert.match(second, /^containerd:\/\/[0-9a-f]{64}$/);
  assert.notEqual(second, first);
  assert.equal(c.lastState!.terminated!.containerID, first);
  assert.equal(c.lastState!.terminated!.exitCode, 1);
  assert.deepEqual(worker.log('app', true).lines().map((l) => l.text), ['hello from web', 'bye']);
  assert.deepEqual(worker.log('app', false).lines().map((l) => l.text), ['hello from web']);
  assert.equal(formatLogLines(worker.log('app', true).lines(), { tailLines: 1 }), 'bye\n');
  assert.match(formatLogLines(worker.log('app', true).lines(), { timestamps: true }), /^2026-01-01T00:00:0\d\.\d{9}Z hello from web\n2026-01-01T00:00:\d\d\.\d{9}Z bye\n$/);

  await untilRestarted(host, worker, 2);
  const third = host.status.containerStatuses![0]!;
  assert.equal(third.lastState!.terminated!.containerID, second);
  assert.ok(![first, second].includes(third.containerID!));
});

test('a follower of a running container gets its new lines and the end when it exits', async () => {
  const host = new FakeHost();
  const worker = host.worker(makePod({ containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo one; sleep 2; echo two; sleep 2; exit 0'] }] }));
  for (let i = 0; i < 100 && !worker.runningContainer('app'); i++) await host.clock.advance(50);
  assert.deepEqual(worker.log('app', false).lines().map((l) => l.text), ['one']);
  const seen: string[] = [];
  worker.log('app', false).follow((line) => seen.push(line.text), () => seen.push('<end>'));
  await host.clock.advance(5000);
  assert.deepEqual(seen, ['two', '<end>']);
});

test('exec sees the hostname file and HOSTNAME of its pod; what it writes stays in that container only', async () => {
  const host = new FakeHost();
  const pod = (name: string, uid: string) => makePod({ containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', 'infinity'] }] }, { name, uid });
  const a = host.worker(pod('web-a', 'u-a'));
  const b = host.worker(pod('web-b', 'u-b'));
  await host.clock.advance(5000);
  const ca = a.runningContainer('app')!;
  const cb = b.runningContainer('app')!;
  assert.equal(exec(ca, ['cat', '/etc/hostname']), 'web-a\n');
  assert.equal(exec(cb, ['sh', '-c', 'echo $HOSTNAME; hostname']), 'web-b\nweb-b\n');
  exec(ca, ['sh', '-c', 'echo saved > /tmp/f']);
  assert.equal(exec(ca, ['cat', '/tmp/f']), 'saved\n');
  assert.equal(exec(cb, ['sh', '-c', 'test -f /tmp/f && echo yes || echo no']), 'no\n');
});

test('a readiness probe runs while its container does: Unhealthy events stop once the pod is deleted', async () => {
  const host = new FakeHost();
  const pod = makePod({ containers: [{ name: 'app', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 5 } }] });
  const worker = host.worker(pod);
  await host.clock.advance(30_000);
  const unhealthy = () => host.recorded.events.filter((e) => e.includes('Unhealthy')).length;
  assert.ok(unhealthy() >= 4);
  assert.equal(host.status.containerStatuses![0]!.ready, false);
  worker.update({ ...pod, metadata: { ...pod.metadata, resourceVersion: '9', deletionTimestamp: '2026-01-01T00:00:40Z', deletionGracePeriodSeconds: 30 } });
  await host.clock.advance(5_000);
  const after = unhealthy();
  await host.clock.advance(60_000);
  assert.equal(unhealthy(), after);
  assert.equal(host.recorded.deleted, true);
});
