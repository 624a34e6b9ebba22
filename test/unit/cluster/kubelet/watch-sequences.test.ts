/**
 * What `kubectl get pods -w` prints while a pod lives on the kubelet: the STATUS column (the API
 * server's own printer, summarizePod) of every status the worker writes. In the cluster every write
 * comes back through the informer, and other components change the pod's status too; `pump` does
 * both here (the last status written, plus a condition of another owner that changes every step and
 * makes the worker write again), so a status written in the wrong moment shows up as a row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodStatus } from '../../../../src/cluster/api/types';
import { summarizePod } from '../../../../src/cluster/apiserver/printers/pods';
import type { PodWorker } from '../../../../src/cluster/kubelet/pod-worker';
import { FakeHost, makePod } from './fake-host';

/**
 * Advances the clock in 100 ms steps; at each, the worker gets its pod back with the last status it
 * wrote and a foreign condition flipped. Returns the STATUS column after each step.
 */
async function pump(host: FakeHost, worker: PodWorker, ms: number): Promise<{ at: number; status: string }[]> {
  const seen: { at: number; status: string }[] = [];
  for (let t = 0; t < ms; t += 100) {
    await host.clock.advance(100);
    const status = host.status ?? {};
    const tick = { type: 'example.com/Tick', status: t % 200 === 0 ? 'True' as const : 'False' as const, lastProbeTime: null };
    const pod = { ...worker.current, status: { ...status, conditions: [...(status.conditions ?? []).filter((c) => c.type !== tick.type), tick] } };
    worker.update(pod);
    seen.push({ at: t + 100, status: summarizePod(pod).status });
  }
  return seen;
}

/** `STATUS READY RESTARTS` of each status written, consecutive repeats dropped. */
function rows(pod: Pod, statuses: PodStatus[]): string[] {
  const out: string[] = [];
  for (const status of statuses) {
    const s = summarizePod({ ...pod, status });
    const row = `${s.status} ${s.ready} ${s.restarts}`;
    if (out.at(-1) !== row) out.push(row);
  }
  return out;
}

test('a container that exits shows Running until the relist notices, then Completed: never ContainerCreating again', async () => {
  const host = new FakeHost();
  const pod = makePod({ restartPolicy: 'Never', containers: [{ name: 'job', image: 'busybox:1.36', command: ['sleep', '2'] }] });
  const worker = host.worker(pod);
  await pump(host, worker, 10_000);
  assert.deepEqual(rows(pod, host.recorded.statuses), ['ContainerCreating 0/1 0', 'Running 1/1 0', 'Completed 0/1 0']);
});

test('restarted under Always: Completed, Running with one restart, then Completed and CrashLoopBackOff', async () => {
  const host = new FakeHost();
  const pod = makePod({ containers: [{ name: 'job', image: 'busybox:1.36', command: ['sleep', '2'] }] });
  const worker = host.worker(pod);
  await pump(host, worker, 12_000);
  assert.deepEqual(rows(pod, host.recorded.statuses), [
    'ContainerCreating 0/1 0', 'Running 1/1 0', 'Completed 0/1 0', 'Running 1/1 1', 'Completed 0/1 1', 'CrashLoopBackOff 0/1 1',
  ]);
});

test('a failed liveness probe kills and restarts in one sync: Running, Running with a restart, then CrashLoopBackOff', async () => {
  const host = new FakeHost();
  const pod = makePod({ containers: [{ name: 'web', image: 'nginx:1.27', livenessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1, failureThreshold: 2 } }] });
  const worker = host.worker(pod);
  await pump(host, worker, 30_000);
  assert.deepEqual(rows(pod, host.recorded.statuses).slice(0, 5), [
    'ContainerCreating 0/1 0', 'Running 1/1 0', 'Running 1/1 1', 'CrashLoopBackOff 0/1 1', 'Running 1/1 2',
  ]);
  // The prober waited for the kubelet to report the container running before its first probe.
  const events = host.recorded.events;
  const started = events.findIndex((e) => e.includes('Started container web'));
  const firstProbe = events.findIndex((e) => e.includes('Liveness probe failed'));
  const at = (e: string) => Number(/^\+([\d.]+)s/.exec(e)![1]);
  assert.ok(at(events[firstProbe]!) >= at(events[started]!) + 1, `${events[started]} / ${events[firstProbe]}`);
});

test('its own status coming back does not move the pod on: ErrImagePull lasts until the next sync, then ImagePullBackOff', async () => {
  const host = new FakeHost();
  const pod = makePod({ containers: [{ name: 'app', image: 'example.com/team/missing:1.0' }] });
  const worker = host.worker(pod);
  const seen = await pump(host, worker, 6_000);
  assert.deepEqual(rows(pod, host.recorded.statuses), ['ContainerCreating 0/1 0', 'ErrImagePull 0/1 0', 'ImagePullBackOff 0/1 0']);
  const errImagePull = seen.filter((s) => s.status === 'ErrImagePull');
  assert.ok(errImagePull.length >= 8, `ErrImagePull for ${errImagePull.length * 100} ms: the next sync comes with the relist, not with the echo`);
});

test('init containers: Init:0/1, then PodInitializing (the app containers wait with that reason), then Running', async () => {
  const host = new FakeHost();
  const pod = makePod({ initContainers: [{ name: 'setup', image: 'busybox:1.36', command: ['sleep', '2'] }], containers: [{ name: 'web', image: 'nginx:1.27' }] });
  const worker = host.worker(pod);
  await pump(host, worker, 15_000);
  assert.deepEqual(rows(pod, host.recorded.statuses), ['Init:0/1 0/1 0', 'PodInitializing 0/1 0', 'Running 1/1 0']);
});

test('an init container that fails under Never: Init:Error stays, the pod is Failed and not Initialized', async () => {
  const host = new FakeHost();
  const pod = makePod({ restartPolicy: 'Never', initContainers: [{ name: 'setup', image: 'busybox:1.36', command: ['sh', '-c', 'exit 1'] }], containers: [{ name: 'web', image: 'nginx:1.27' }] });
  const worker = host.worker(pod);
  await pump(host, worker, 10_000);
  assert.deepEqual(rows(pod, host.recorded.statuses), ['Init:0/1 0/1 0', 'Init:Error 0/1 0']);
  assert.equal(host.status.phase, 'Failed');
  const initialized = host.status.conditions!.find((c) => c.type === 'Initialized')!;
  assert.deepEqual([initialized.status, initialized.reason, initialized.message], ['False', 'ContainersNotInitialized', 'containers with incomplete status: [setup]']);
});

/**
 * As `pump`, but the worker gets back only its own last status (with a new resourceVersion), as
 * when no other component writes the pod: the versions give publish the same inputs as the one it
 * computed from, and the worker keeps that status instead of computing it again (W_PUBLISHED_POD
 * in update). `pump` flips a condition of another owner at every step, which makes it compute again.
 */
async function echo(host: FakeHost, worker: PodWorker, ms: number): Promise<void> {
  for (let t = 0, rv = 1; t < ms; t += 100) {
    await host.clock.advance(100);
    const status = host.status ?? worker.current.status ?? {};
    worker.update({ ...worker.current, metadata: { ...worker.current.metadata, resourceVersion: String(++rv) }, status });
  }
}

test('with only its own writes coming back, each change still goes out: restarts, a liveness kill, a readiness probe, init containers', async () => {
  const cases: [Pod, number, string[]][] = [
    [makePod({ containers: [{ name: 'job', image: 'busybox:1.36', command: ['sleep', '2'] }] }), 12_000,
      ['ContainerCreating 0/1 0', 'Running 1/1 0', 'Completed 0/1 0', 'Running 1/1 1', 'Completed 0/1 1', 'CrashLoopBackOff 0/1 1']],
    [makePod({ containers: [{ name: 'web', image: 'nginx:1.27', livenessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1, failureThreshold: 2 } }] }), 20_000,
      ['ContainerCreating 0/1 0', 'Running 1/1 0', 'Running 1/1 1', 'CrashLoopBackOff 0/1 1', 'Running 1/1 2']],
    [makePod({ containers: [{ name: 'web', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 1, initialDelaySeconds: 3 } }] }), 10_000,
      ['ContainerCreating 0/1 0', 'Running 0/1 0', 'Running 1/1 0']],
    [makePod({ initContainers: [{ name: 'setup', image: 'busybox:1.36', command: ['sleep', '2'] }], containers: [{ name: 'web', image: 'nginx:1.27' }] }), 15_000,
      ['Init:0/1 0/1 0', 'PodInitializing 0/1 0', 'Running 1/1 0']],
  ];
  for (const [pod, ms, expected] of cases) {
    const host = new FakeHost();
    await echo(host, host.worker(pod), ms);
    assert.deepEqual(rows(pod, host.recorded.statuses).slice(0, expected.length), expected);
  }
});
