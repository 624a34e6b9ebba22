import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeHost, makePod, statusSequence } from './fake-host';

test('nginx: pulled, created, started, Running and Ready', async () => {
  const host = new FakeHost();
  host.worker(makePod({ containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] }));
  await host.clock.advance(5000);
  assert.deepEqual(host.recorded.events, [
    '+1s Normal Pulling: Pulling image "nginx:1.27"',
    '+2.877s Normal Pulled: Successfully pulled image "nginx:1.27" in 1.877s (1.877s including waiting). Image size: 72188133 bytes.',
    '+2.877s Normal Created: Created container: nginx',
    '+2.977s Normal Started: Started container nginx',
  ]);
  assert.deepEqual(statusSequence(host.recorded.statuses), ['ContainerCreating 0/1 0', 'Running 1/1 0']);
  const s = host.status;
  assert.equal(s.phase, 'Running');
  assert.deepEqual(s.conditions!.map((c) => `${c.type}=${c.status}`), ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
  assert.equal(s.podIP, '10.244.1.5');
  assert.equal(s.hostIP, '172.18.0.2');
  const c = s.containerStatuses![0]!;
  assert.equal(c.image, 'docker.io/library/nginx:1.27');
  assert.match(c.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  assert.match(c.containerID!, /^containerd:\/\/[0-9a-f]{64}$/);
  assert.deepEqual(c.state, { running: { startedAt: '2026-01-01T00:00:02Z' } });
  assert.equal(c.started, true);
  // Two distinct statuses, as SyncPod writes them: the sandbox, pull and start happen inside the
  // first sync, so the pod IP and PodReadyToStartContainers=True first show with Running.
  assert.equal(host.recorded.statuses.length, 2);
  const first = host.recorded.statuses[0]!;
  assert.deepEqual(first.containerStatuses![0]!.state, { waiting: { reason: 'ContainerCreating' } });
  assert.equal(first.podIP, undefined);
  assert.equal(first.conditions!.find((x) => x.type === 'PodReadyToStartContainers')!.status, 'False');
  assert.deepEqual(first.conditions!.find((x) => x.type === 'Ready'), { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'ContainersNotReady', message: 'containers with unready status: [nginx]' });
});

test('a second pod of the same image finds it present', async () => {
  const host = new FakeHost();
  host.worker(makePod({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] }));
  await host.clock.advance(5000);
  host.recorded.events.length = 0;
  host.worker(makePod({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] }, { name: 'web-2', uid: 'u-2' }));
  await host.clock.advance(5000);
  assert.deepEqual(host.recorded.events.map((e) => e.replace(/^\S+ /, '')), [
    'Normal Pulled: Container image "nginx:1.27" already present on machine',
    'Normal Created: Created container: nginx',
    'Normal Started: Started container nginx',
  ]);
});

test('sleep 30 under restartPolicy Never completes: Succeeded', async () => {
  const host = new FakeHost();
  host.worker(makePod({ restartPolicy: 'Never', containers: [{ name: 'job', image: 'busybox:1.36', command: ['sleep', '30'] }] }));
  await host.clock.advance(40_000);
  assert.deepEqual(statusSequence(host.recorded.statuses), ['ContainerCreating 0/1 0', 'Running 1/1 0', 'Completed 0/1 0']);
  assert.equal(host.status.phase, 'Succeeded');
  assert.equal(host.status.containerStatuses![0]!.state!.terminated!.reason, 'Completed');
  assert.deepEqual(host.status.conditions!.find((c) => c.type === 'Ready')!.reason, 'PodCompleted');
});

test('busybox with no command under Always: CrashLoopBackOff with 10 s, 20 s, 40 s waits', async () => {
  const host = new FakeHost();
  host.worker(makePod({ containers: [{ name: 'box', image: 'busybox:1.36' }] }));
  await host.clock.advance(120_000);
  const seq = statusSequence(host.recorded.statuses);
  // As `kubectl get pods -w` shows it: the container exits before the kubelet ever reports it running.
  assert.deepEqual(seq.slice(0, 6), [
    'ContainerCreating 0/1 0',
    'Completed 0/1 0',
    'Completed 0/1 1',
    'CrashLoopBackOff 0/1 1',
    'Completed 0/1 2',
    'CrashLoopBackOff 0/1 2',
  ]);
  const started = host.recorded.events.filter((e) => e.includes('Started container')).map((e) => Number(e.split('s ')[0]!.slice(1)));
  const gaps = started.slice(1).map((t, i) => Math.round(t - started[i]!));
  // First restart right away (after the relist), then back-offs of 10 s, 20 s, 40 s counted from each exit.
  assert.deepEqual(gaps.slice(0, 4), [1, 10, 20, 40]);
  const waiting = host.recorded.statuses.map((s) => s.containerStatuses![0]!.state!.waiting?.message).filter(Boolean);
  assert.ok(waiting.includes('back-off 10s restarting failed container=box pod=web_default(7c9e6679-7425-40de-944b-e07fc1f90ae7)'));
  assert.ok(waiting.includes('back-off 40s restarting failed container=box pod=web_default(7c9e6679-7425-40de-944b-e07fc1f90ae7)'));
  assert.ok(host.recorded.events.some((e) => e.includes('Warning BackOff: Back-off restarting failed container box in pod web_default(7c9e6679-7425-40de-944b-e07fc1f90ae7)')));
  assert.equal(host.status.phase, 'Running');
});

test('an image the registry does not have: ErrImagePull then ImagePullBackOff', async () => {
  const host = new FakeHost();
  host.worker(makePod({ containers: [{ name: 'app', image: 'nginx:nope' }] }));
  await host.clock.advance(30_000);
  assert.deepEqual(statusSequence(host.recorded.statuses).slice(0, 3), ['ContainerCreating 0/1 0', 'ErrImagePull 0/1 0', 'ImagePullBackOff 0/1 0']);
  const events = host.recorded.events.map((e) => e.replace(/^\S+ /, ''));
  assert.deepEqual(events.slice(0, 5), [
    'Normal Pulling: Pulling image "nginx:nope"',
    'Warning Failed: Failed to pull image "nginx:nope": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:nope": failed to resolve reference "docker.io/library/nginx:nope": docker.io/library/nginx:nope: not found',
    'Warning Failed: Error: ErrImagePull',
    'Normal BackOff: Back-off pulling image "nginx:nope"',
    'Warning Failed: Error: ImagePullBackOff',
  ]);
  assert.equal(host.status.phase, 'Pending');
});

test('a malformed image reference: InvalidImageName', async () => {
  const host = new FakeHost();
  host.worker(makePod({ containers: [{ name: 'app', image: 'NGINX' }] }));
  await host.clock.advance(5000);
  assert.deepEqual(host.status.containerStatuses![0]!.state, { waiting: { reason: 'InvalidImageName', message: 'Failed to apply default image tag "NGINX": couldn\'t parse image name "NGINX": invalid reference format' } });
});

test('over its memory limit: OOMKilled, exit 137', async () => {
  const host = new FakeHost();
  host.worker(makePod({ restartPolicy: 'Never', containers: [{ name: 'stress', image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'], resources: { limits: { memory: '100Mi' } } }] }));
  await host.clock.advance(10_000);
  const t = host.status.containerStatuses![0]!.state!.terminated!;
  assert.equal(t.reason, 'OOMKilled');
  assert.equal(t.exitCode, 137);
  assert.equal(host.status.phase, 'Failed');
  assert.ok(statusSequence(host.recorded.statuses).includes('OOMKilled 0/1 0'));
});

test('a missing ConfigMap in env: CreateContainerConfigError until it exists', async () => {
  const host = new FakeHost();
  host.worker(makePod({ containers: [{ name: 'app', image: 'nginx:1.27', env: [{ name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'settings', key: 'color' } } }] }] }));
  await host.clock.advance(5000);
  assert.deepEqual(host.status.containerStatuses![0]!.state, { waiting: { reason: 'CreateContainerConfigError', message: 'configmap "settings" not found' } });
  assert.ok(host.recorded.events.some((e) => e.endsWith('Warning Failed: Error: configmap "settings" not found')));
  host.objects.set('configmap/default/settings', { metadata: { name: 'settings' }, data: { color: 'blue' } });
  await host.clock.advance(15_000);
  assert.equal(host.status.phase, 'Running');
});

test('init containers run in order before the app; STATUS Init:0/2, Init:1/2, PodInitializing', async () => {
  const host = new FakeHost();
  host.worker(makePod({
    initContainers: [
      { name: 'init-a', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 5'] },
      { name: 'init-b', image: 'busybox:1.36', command: ['sleep', '5'] },
    ],
    containers: [{ name: 'nginx', image: 'nginx:1.27' }],
  }));
  await host.clock.advance(30_000);
  const seq = statusSequence(host.recorded.statuses);
  assert.deepEqual(seq[0], 'Init:0/2 0/1 0');
  assert.ok(seq.includes('Init:1/2 0/1 0'));
  assert.equal(seq.at(-1), 'Running 1/1 0');
  assert.equal(host.status.conditions!.find((c) => c.type === 'Initialized')!.status, 'True');
  const first = host.recorded.statuses[0]!;
  assert.deepEqual(first.conditions!.find((c) => c.type === 'Initialized'), { type: 'Initialized', status: 'False', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init-a init-b]' });
  const order = host.recorded.events.filter((e) => e.includes('Started container')).map((e) => e.split('container ')[1]);
  assert.deepEqual(order, ['init-a', 'init-b', 'nginx']);
});

test('a sidecar (restartable init container) keeps running beside the app', async () => {
  const host = new FakeHost();
  host.worker(makePod({
    initContainers: [{ name: 'log-agent', image: 'busybox:1.36', restartPolicy: 'Always', command: ['sh', '-c', 'while true; do sleep 10; done'] }],
    containers: [{ name: 'nginx', image: 'nginx:1.27' }],
  }));
  await host.clock.advance(30_000);
  assert.equal(host.status.phase, 'Running');
  assert.deepEqual(host.status.initContainerStatuses![0]!.state!.running !== undefined, true);
  assert.equal(host.status.conditions!.find((c) => c.type === 'Ready')!.status, 'True');
});

test('a failing liveness probe restarts the container', async () => {
  const host = new FakeHost();
  host.worker(makePod({ containers: [{ name: 'nginx', image: 'nginx:1.27', livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 3, periodSeconds: 3, failureThreshold: 3 } }] }));
  await host.clock.advance(30_000);
  const events = host.recorded.events.map((e) => e.replace(/^\S+ /, ''));
  assert.ok(events.includes('Warning Unhealthy: Liveness probe failed: Get "http://10.244.1.5:8080/healthz": dial tcp 10.244.1.5:8080: connect: connection refused'));
  assert.ok(events.includes('Normal Killing: Container nginx failed liveness probe, will be restarted'));
  assert.ok(host.status.containerStatuses![0]!.restartCount >= 1);
  assert.equal(host.status.containerStatuses![0]!.lastState!.terminated!.exitCode, 0);
});

test('a readiness probe on the served port makes the pod Ready; on another port it never is', async () => {
  const good = new FakeHost();
  good.worker(makePod({ containers: [{ name: 'nginx', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5 } }] }));
  await good.clock.advance(20_000);
  assert.equal(good.status.conditions!.find((c) => c.type === 'Ready')!.status, 'True');
  const bad = new FakeHost();
  bad.worker(makePod({ containers: [{ name: 'nginx', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 81 }, periodSeconds: 5 } }] }));
  await bad.clock.advance(20_000);
  assert.equal(bad.status.conditions!.find((c) => c.type === 'Ready')!.status, 'False');
  assert.equal(bad.status.phase, 'Running');
});

test('graceful delete: nginx stops on SIGTERM, the kubelet deletes the pod', async () => {
  const host = new FakeHost();
  const pod = makePod({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] });
  const worker = host.worker(pod);
  await host.clock.advance(5000);
  worker.update({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:00:05Z', deletionGracePeriodSeconds: 30 } });
  await host.clock.advance(1000);
  assert.ok(host.recorded.events.some((e) => e.endsWith('Normal Killing: Stopping container nginx')));
  assert.equal(host.recorded.deleted, true);
  assert.equal(host.status.phase, 'Succeeded');
  assert.equal(host.status.containerStatuses![0]!.state!.terminated!.exitCode, 0);
});

test('graceful delete: sleep ignores SIGTERM and is killed after the grace period', async () => {
  const host = new FakeHost();
  const pod = makePod({ containers: [{ name: 'box', image: 'busybox:1.36', command: ['sleep', '3600'] }] });
  const worker = host.worker(pod);
  await host.clock.advance(5000);
  worker.update({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:00:05Z', deletionGracePeriodSeconds: 30 } });
  await host.clock.advance(29_000);
  assert.equal(host.recorded.deleted, false);
  await host.clock.advance(2000);
  assert.equal(host.recorded.deleted, true);
  assert.equal(host.status.containerStatuses![0]!.state!.terminated!.exitCode, 137);
  assert.equal(host.status.phase, 'Failed');
});

test('fault injection: exit code by annotation, slow pull', async () => {
  const host = new FakeHost();
  host.worker(makePod({ restartPolicy: 'Never', containers: [{ name: 'nginx', image: 'nginx:1.27' }] }, { annotations: { 'fault.kube-sim.io/exit.nginx': '3@10s', 'fault.kube-sim.io/pull-delay.nginx': '20s' } }));
  await host.clock.advance(15_000);
  assert.equal(host.status.phase, 'Pending');
  await host.clock.advance(30_000);
  assert.equal(host.status.containerStatuses![0]!.state!.terminated!.exitCode, 3);
  assert.equal(host.status.phase, 'Failed');
});

test('a startup probe holds off liveness and readiness until it succeeds', async () => {
  const host = new FakeHost();
  host.worker(makePod({ containers: [{ name: 'nginx', image: 'nginx:1.27', startupProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 10, periodSeconds: 5 }, readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 } }] }));
  await host.clock.advance(8_000);
  const early = host.status.containerStatuses![0]!;
  assert.deepEqual([early.started, early.ready], [false, false]);
  await host.clock.advance(10_000);
  const later = host.status.containerStatuses![0]!;
  assert.deepEqual([later.started, later.ready], [true, true]);
});

test('fault injection: a readiness probe that starts failing takes the pod out of Ready', async () => {
  const host = new FakeHost();
  host.worker(makePod({ containers: [{ name: 'nginx', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5, failureThreshold: 2 } }] }, { annotations: { 'fault.kube-sim.io/probe.nginx': 'readiness@30s' } }));
  await host.clock.advance(20_000);
  assert.equal(host.status.conditions!.find((c) => c.type === 'Ready')!.status, 'True');
  await host.clock.advance(30_000);
  assert.equal(host.status.conditions!.find((c) => c.type === 'Ready')!.status, 'False');
  assert.ok(host.recorded.events.some((e) => e.endsWith('Warning Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 500')));
});

test('a missing ConfigMap volume: FailedMount and ContainerCreating', async () => {
  const host = new FakeHost();
  host.worker(makePod({ volumes: [{ name: 'config', configMap: { name: 'app-config' } }], containers: [{ name: 'app', image: 'nginx:1.27', volumeMounts: [{ name: 'config', mountPath: '/etc/app' }] }] }));
  await host.clock.advance(5_000);
  assert.deepEqual(host.status.containerStatuses![0]!.state, { waiting: { reason: 'ContainerCreating' } });
  assert.ok(host.recorded.events.some((e) => e.endsWith('Warning FailedMount: MountVolume.SetUp failed for volume "config" : configmap "app-config" not found')));
});

test('a secret key that is not there: CreateContainerConfigError', async () => {
  const host = new FakeHost();
  host.objects.set('secret/default/db', { metadata: { name: 'db' }, data: { user: Buffer.from('admin').toString('base64') } });
  host.worker(makePod({ containers: [{ name: 'app', image: 'nginx:1.27', env: [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] }] }));
  await host.clock.advance(5_000);
  assert.deepEqual(host.status.containerStatuses![0]!.state, { waiting: { reason: 'CreateContainerConfigError', message: "couldn't find key password in Secret default/db" } });
});

test('an executable that is not in the image: StartError, then CrashLoopBackOff', async () => {
  const host = new FakeHost();
  host.worker(makePod({ containers: [{ name: 'app', image: 'busybox:1.36', command: ['/app/server'] }] }));
  await host.clock.advance(30_000);
  const events = host.recorded.events.map((e) => e.replace(/^\S+ /, ''));
  assert.ok(events.some((e) => e.startsWith('Warning Failed: Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "/app/server": stat /app/server: no such file or directory: unknown')));
  const c = host.status.containerStatuses![0]!;
  assert.equal(c.lastState!.terminated!.reason, 'StartError');
  assert.equal(c.lastState!.terminated!.exitCode, 128);
  assert.equal(c.state!.waiting!.reason, 'CrashLoopBackOff');
});

test('one seed replays the same run', async () => {
  const run = async () => {
    const host = new FakeHost({ ...(await import('./fake-host')).EXACT, pullLatency: { ms: 500, jitter: 0.5 }, sandboxStart: { ms: 1000, jitter: 0.5 } });
    host.worker(makePod({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] }));
    await host.clock.advance(10_000);
    return host.recorded.events;
  };
  assert.deepEqual(await run(), await run());
});

test('a new image (kubectl set image): definition changed, pulled and restarted', async () => {
  const host = new FakeHost();
  const pod = makePod({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] });
  const worker = host.worker(pod);
  await host.clock.advance(5_000);
  host.recorded.events.length = 0;
  worker.update({ ...pod, spec: { ...pod.spec, containers: [{ name: 'nginx', image: 'nginx:1.26' }] } });
  await host.clock.advance(10_000);
  assert.deepEqual(host.recorded.events.map((e) => e.replace(/^\S+ /, '').replace(/ in .*$/, '')), [
    'Normal Killing: Container nginx definition changed, will be restarted',
    'Normal Pulling: Pulling image "nginx:1.26"',
    'Normal Pulled: Successfully pulled image "nginx:1.26"',
    'Normal Created: Created container: nginx',
    'Normal Started: Started container nginx',
  ]);
  const c = host.status.containerStatuses![0]!;
  assert.equal(c.image, 'docker.io/library/nginx:1.26');
  assert.equal(c.restartCount, 1);
  assert.ok(c.state!.running);
});

test('a readiness gate keeps the pod from Ready until its condition is True', async () => {
  const host = new FakeHost();
  const pod = makePod({ readinessGates: [{ conditionType: 'example.com/lb-ready' }], containers: [{ name: 'nginx', image: 'nginx:1.27' }] });
  const worker = host.worker(pod);
  await host.clock.advance(5_000);
  assert.deepEqual(host.status.conditions!.filter((c) => c.type === 'Ready' || c.type === 'ContainersReady').map((c) => `${c.type}=${c.status} ${c.reason ?? ''} ${c.message ?? ''}`.trim()), [
    'Ready=False ReadinessGatesNotReady corresponding condition of pod readiness gate "example.com/lb-ready" does not exist.',
    'ContainersReady=True',
  ]);
  worker.update({ ...pod, status: { ...pod.status, conditions: [...pod.status!.conditions!, { type: 'example.com/lb-ready', status: 'True' }] } });
  await host.clock.advance(1_000);
  assert.equal(host.status.conditions!.find((c) => c.type === 'Ready')!.status, 'True');
});

test('activeDeadlineSeconds: the pod fails with DeadlineExceeded and stays', async () => {
  const host = new FakeHost();
  host.worker(makePod({ activeDeadlineSeconds: 20, terminationGracePeriodSeconds: 5, containers: [{ name: 'box', image: 'busybox:1.36', command: ['sleep', '3600'] }] }));
  await host.clock.advance(30_000);
  assert.equal(host.status.phase, 'Failed');
  assert.equal(host.status.reason, 'DeadlineExceeded');
  assert.equal(host.status.message, 'Pod was active on the node longer than the specified deadline');
  assert.equal(host.status.containerStatuses![0]!.state!.terminated!.exitCode, 137);
  assert.ok(host.recorded.events.some((e) => e.endsWith('Warning DeadlineExceeded: Pod was active on the node longer than the specified deadline')));
  assert.equal(host.recorded.deleted, false);
});

test('Initialized as GeneratePodInitializedCondition words it: PodCompleted once Succeeded, False for a deadline that ran out during init', async () => {
  const done = new FakeHost();
  done.worker(makePod({ restartPolicy: 'Never', containers: [{ name: 'job', image: 'busybox:1.36', command: ['true'] }] }));
  await done.clock.advance(10_000);
  assert.equal(done.status.phase, 'Succeeded');
  assert.deepEqual(pick(done.status.conditions!.find((c) => c.type === 'Initialized')!), { status: 'True', reason: 'PodCompleted' });

  const stuck = new FakeHost();
  stuck.worker(makePod({
    activeDeadlineSeconds: 20, terminationGracePeriodSeconds: 5,
    initContainers: [{ name: 'wait-for-db', image: 'busybox:1.36', command: ['sleep', '3600'] }],
    containers: [{ name: 'app', image: 'nginx:1.27' }],
  }));
  await stuck.clock.advance(30_000);
  assert.equal(stuck.status.phase, 'Failed');
  assert.deepEqual(pick(stuck.status.conditions!.find((c) => c.type === 'Initialized')!), { status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [wait-for-db]' });
});

function pick(c: { status: string; reason?: string; message?: string }): Record<string, string> {
  return { status: c.status, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) };
}
