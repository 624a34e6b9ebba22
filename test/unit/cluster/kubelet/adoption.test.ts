import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock, settle } from '../../../../src/cluster/clock';
import { CONFIGMAPS, EVENTS, NODES, PODS } from '../../../../src/cluster/client/client';
import type { Node, Pod } from '../../../../src/cluster/api/types';
import { replayedLog } from '../../../../src/cluster/kubelet/adoption';
import { catalogImage } from '../../../../src/cluster/kubelet/runtime/catalog';
import { parseImageReference } from '../../../../src/cluster/kubelet/runtime/image-ref';

const START = Date.parse('2026-01-01T00:00:00Z');

function pod(name: string, container: Pod['spec']['containers'][number], restartPolicy: Pod['spec']['restartPolicy'] = 'Always'): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'node-1', restartPolicy, containers: [container] } };
}

async function events(c: Cluster, name: string): Promise<string[]> {
  const list = (await c.client().resource(EVENTS).list({ namespace: 'default' })).items as any[];
  return list.filter((e) => e.involvedObject.name === name).map((e) => e.reason as string);
}

/**
 * Advances the paused clock in steps of at most a second and, after each, waits until the writes
 * it caused are durable: an empty txn of the durable store resolves after the fsyncs pending
 * before it (no wall-clock sleep; without this a read could see a status from before the last write).
 */
async function advance(c: Cluster, clock: ManualClock, ms: number, stepMs = 1_000): Promise<void> {
  for (let left = ms; left > 0; left -= stepMs) {
    await clock.advance(Math.min(stepMs, left));
    for (let i = 0; i < 4; i++) { await c.store.txn([], []); await settle(); }
  }
}

async function get(c: Cluster, name: string): Promise<Pod> {
  return c.client().resource<Pod>(PODS).get(name, { namespace: 'default' });
}

/**
 * A cluster on a fresh data directory runs `before`, stops, and a second process on the same
 * directory starts a second of cluster time later and runs `after` with what `before` returned.
 */
async function acrossRestart<T>(
  before: (first: Cluster, clock1: ManualClock) => Promise<T>,
  after: (second: Cluster, clock2: ManualClock, carried: T) => Promise<void>,
): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kube-sim-adopt-'));
  try {
    const clock1 = new ManualClock(START);
    const first = await Cluster.start({ clock: clock1, nodes: 1, dataDir });
    let carried: T;
    try {
      carried = await before(first, clock1);
    } finally {
      await first.stop();
    }
    const clock2 = new ManualClock(clock1.now() + 1_000);
    const second = await Cluster.start({ clock: clock2, nodes: 1, dataDir });
    try {
      await after(second, clock2, carried);
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('a kubelet started on a durable store adopts the pods the previous process ran: IPs, restarts, startedAt and back-off stay', async () => {
  await acrossRestart(async (first, clock1) => {
    // ---- first process -----------------------------------------------------------------------
    const pods1 = first.client().resource<Pod>(PODS);
    await pods1.create(pod('web', { name: 'nginx', image: 'nginx:1.27', readinessProbe: { httpGet: { port: 80 }, periodSeconds: 10 } } as any));
    await pods1.create(pod('sleeper', { name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'echo begin; sleep 300; echo end'] }, 'Never'));
    await pods1.create(pod('crash', { name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'exit 1'] }));
    await pods1.create(pod('done', { name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'echo ok'] }, 'Never'));
    const withInit = pod('init', { name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] });
    withInit.spec.initContainers = [{ name: 'setup', image: 'busybox:1.36', command: ['sh', '-c', 'echo ready'] }];
    await pods1.create(withInit);
    await advance(first, clock1, 60_000);
    // Stop while the crash-looping container is early in a back-off of 40 s or more.
    for (let i = 0; i < 600; i++) {
      const status = (await get(first, 'crash')).status!.containerStatuses![0]!;
      const finished = Date.parse(status.lastState?.terminated?.finishedAt ?? '');
      if (status.state?.waiting?.reason === 'CrashLoopBackOff' && status.restartCount >= 3 && clock1.now() - finished < 5_000) break;
      await advance(first, clock1, 1_000);
    }
  }, async (second, clock2) => {
    // ---- second process, a second later ---------------------------------------------------
    // What the previous process left in the store (read before the paused clock moves; with a
    // durable store its last writes may land after a read made just before it stopped).
    const web1 = await get(second, 'web');
    const sleeper1 = await get(second, 'sleeper');
    const crash1 = await get(second, 'crash');
    assert.equal(web1.status!.phase, 'Running');
    assert.equal(web1.status!.containerStatuses![0]!.ready, true);
    assert.equal(sleeper1.status!.phase, 'Running');
    assert.equal(crash1.status!.containerStatuses![0]!.state!.waiting?.reason, 'CrashLoopBackOff');
    const crashRestarts = crash1.status!.containerStatuses![0]!.restartCount;
    assert.ok(crashRestarts >= 3, `crash restarted ${crashRestarts} times`);
    assert.equal((await get(second, 'done')).status!.phase, 'Succeeded');
    const init1 = await get(second, 'init');
    assert.equal(init1.status!.phase, 'Running');
    const before = { init: await events(second, 'init'), web: await events(second, 'web'), sleeper: await events(second, 'sleeper'), crash: await events(second, 'crash') };
    // The node still has the images it pulled.
    const node = await second.client().resource<Node>(NODES).get('node-1');
    assert.ok(node.status!.images!.some((i) => i.names!.includes('docker.io/library/nginx:1.27')), 'nginx stays on the node');
    await advance(second, clock2, 5_000);

    const web2 = await get(second, 'web');
    assert.equal(web2.status!.podIP, web1.status!.podIP);
    assert.equal(web2.status!.phase, 'Running');
    const [w1, w2] = [web1.status!.containerStatuses![0]!, web2.status!.containerStatuses![0]!];
    assert.equal(w2.state!.running?.startedAt, w1.state!.running!.startedAt);
    assert.equal(w2.containerID, w1.containerID);
    assert.equal(w2.restartCount, 0);
    assert.equal(w2.ready, true, 'readiness goes on without a flap');
    assert.deepEqual(await events(second, 'web'), before.web, 'no Pulling, Pulled, Created or Started again');
    assert.equal(web2.status!.startTime, web1.status!.startTime);

    // An init container that completed is not run again.
    const init2 = await get(second, 'init');
    assert.deepEqual(init2.status!.initContainerStatuses, init1.status!.initContainerStatuses);
    assert.deepEqual(init2.status!.containerStatuses![0]!.state, init1.status!.containerStatuses![0]!.state);
    assert.deepEqual(init2.status!.conditions, init1.status!.conditions, 'conditions keep their transition times');
    assert.deepEqual(await events(second, 'init'), before.init);

    // The crash-looping container is still backing off, with its count: it restarts when the
    // back-off it was in (10 s doubling per restart) ends, not at once.
    const c1 = crash1.status!.containerStatuses![0]!;
    const crash2 = (await get(second, 'crash')).status!.containerStatuses![0]!;
    assert.equal(crash2.state!.waiting?.reason, 'CrashLoopBackOff');
    assert.equal(crash2.restartCount, crashRestarts);
    assert.deepEqual(crash2.lastState, c1.lastState);
    const backOffEnds = Date.parse(c1.lastState!.terminated!.finishedAt!) + Math.min(10_000 * 2 ** (crashRestarts - 1), 300_000);
    assert.ok(backOffEnds > clock2.now(), 'the test restarts within the back-off');
    await advance(second, clock2, backOffEnds - clock2.now() - 1_000, 10_000);
    assert.equal((await get(second, 'crash')).status!.containerStatuses![0]!.restartCount, crashRestarts);
    assert.ok(!(await events(second, 'crash')).slice(before.crash.length).includes('Started'));
    await advance(second, clock2, 3_000);
    const after = (await get(second, "crash")).status!.containerStatuses![0]!;
    assert.equal(after.restartCount, crashRestarts + 1, JSON.stringify({ c1, after, now: new Date(clock2.now()) }));
    assert.equal((await get(second, 'done')).status!.phase, 'Succeeded');
    assert.deepEqual((await get(second, 'done')).status!.containerStatuses![0]!.state!.terminated?.reason, 'Completed');

    // A new pod on the node does not get an adopted IP.
    await second.client().resource<Pod>(PODS).create(pod('fresh', { name: 'nginx', image: 'nginx:1.27' }));
    await advance(second, clock2, 10_000);
    const fresh = await get(second, 'fresh');
    assert.equal(fresh.status!.phase, 'Running');
    assert.ok(fresh.status!.podIP);
    assert.ok(![web1, sleeper1, crash1].map((p) => p.status!.podIP).includes(fresh.status!.podIP), `${fresh.status!.podIP} is not an adopted pod's`);
    assert.ok(!(await events(second, 'fresh')).includes('Pulling'), 'the image stayed cached: "already present on machine"');

    // The sleep resumes with what is left of its 5 minutes, measured from startedAt.
    const sleeper2 = await get(second, 'sleeper');
    assert.equal(sleeper2.status!.podIP, sleeper1.status!.podIP);
    assert.equal(sleeper2.status!.containerStatuses![0]!.state!.running?.startedAt, sleeper1.status!.containerStatuses![0]!.state!.running!.startedAt);
    assert.deepEqual(await events(second, 'sleeper'), before.sleeper);
    // Its output so far is replayed with the times it had (the script's position is recomputed).
    const log = second.nodes.open('default', 'sleeper', 'main', {}).lines();
    assert.deepEqual(log.map((l) => l.text), ['begin']);
    const startedAt = Date.parse(sleeper1.status!.containerStatuses![0]!.state!.running!.startedAt!);
    await advance(second, clock2, startedAt + 300_000 - clock2.now() - 2_000, 5_000);
    assert.equal((await get(second, 'sleeper')).status!.phase, 'Running');
    await advance(second, clock2, 5_000);
    const finished = (await get(second, 'sleeper')).status!;
    assert.equal(finished.phase, 'Succeeded');
    assert.equal(finished.containerStatuses![0]!.state!.terminated?.finishedAt, new Date(startedAt + 300_000).toISOString().replace(/\.\d+Z$/, 'Z'));
    assert.deepEqual(second.nodes.open('default', 'sleeper', 'main', {}).lines().map((l) => l.text), ['begin', 'end']);

  });
});

test('what is in flight when the kubelet starts goes on: a pod being deleted is killed and deleted, a pod still starting starts with its IP', async () => {
  await acrossRestart(async (first, clock1) => {
    const pods1 = first.client().resource<Pod>(PODS);
    await pods1.create(pod('leaving', { name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }));
    const waiting = pod('waiting', { name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'], env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }] } as any);
    await pods1.create(waiting);
    await advance(first, clock1, 10_000);
    // `sleep` ignores SIGTERM: the kubelet kills it when the 30 s grace period ends.
    await pods1.delete('leaving', { namespace: 'default' });
    await advance(first, clock1, 5_000);
  }, async (second, clock2) => {
    const leaving = await get(second, 'leaving');
    assert.ok(leaving.metadata.deletionTimestamp);
    assert.equal(leaving.status!.containerStatuses![0]!.state!.running !== undefined, true);
    const waiting1 = await get(second, 'waiting');
    assert.equal(waiting1.status!.containerStatuses![0]!.state!.waiting?.reason, 'CreateContainerConfigError');
    assert.ok(waiting1.status!.podIP);

    await advance(second, clock2, 40_000);
    await assert.rejects(get(second, 'leaving'), /not found/, 'the deletion finished');
    assert.ok((await events(second, 'leaving')).includes('Killing'));

    await second.client().resource(CONFIGMAPS).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { mode: 'on' } }, { namespace: 'default' });
    await advance(second, clock2, 15_000);
    const waiting2 = await get(second, 'waiting');
    assert.equal(waiting2.status!.phase, 'Running');
    assert.equal(waiting2.status!.podIP, waiting1.status!.podIP, 'the sandbox it had keeps its IP');
    assert.equal(waiting2.status!.containerStatuses![0]!.restartCount, 0);
  });
});

test('a pod being deleted when the kubelet restarts gets its full grace period again, counted from the restart, as a restarted kubelet 1.32 gives it', async () => {
  // kubelet 1.32 keeps no deadline from deletionTimestamp: a new kubelet's pod worker takes the grace
  // period from deletionGracePeriodSeconds (calculateEffectiveGracePeriod), and killContainer asks the
  // runtime to stop the container with all of it, a second SIGTERM and a new wait before SIGKILL.
  await acrossRestart(async (first, clock1) => {
    const pods1 = first.client().resource<Pod>(PODS);
    await pods1.create(pod('leaving', { name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }));
    await advance(first, clock1, 10_000);
    await pods1.delete('leaving', { namespace: 'default' }); // `sleep` ignores SIGTERM: killed when the 30 s are over
    const deletedAt = clock1.now();
    await advance(first, clock1, 20_000);
    return deletedAt;
  }, async (second, clock2, deletedAt) => {
    const leaving = await get(second, 'leaving');
    assert.equal(Date.parse(leaving.metadata.deletionTimestamp!), Math.floor((deletedAt + 30_000) / 1000) * 1000, 'the API server set it to the deletion + 30 s');
    await advance(second, clock2, 29_000);
    const late = await get(second, 'leaving');
    assert.ok(clock2.now() > Date.parse(late.metadata.deletionTimestamp!) + 15_000, 'long past its deletionTimestamp');
    assert.ok(late.status!.containerStatuses![0]!.state!.running, 'still running 29 s after the restart');
    assert.deepEqual((await events(second, 'leaving')).filter((r) => r === 'Killing'), ['Killing', 'Killing'], 'each kubelet sent its SIGTERM');
    await advance(second, clock2, 3_000);
    await assert.rejects(get(second, 'leaving'), /not found/, 'killed 30 s after the restart, then deleted');
  });
});

test('kubectl logs after a restart: what ended containers printed is replayed with the times it had (--previous, a Completed pod, an init container)', async () => {
  const read = (c: Cluster, name: string, query: Record<string, string | boolean> = {}) => c.client().resource<Pod>(PODS).getText(name, 'log', { namespace: 'default', query });
  const reads = async (c: Cluster) => [await read(c, 'crash', { previous: true }), await read(c, 'crash'), await read(c, 'done'), await read(c, 'init', { container: 'setup' })];
  await acrossRestart(async (first, clock1) => {
    const pods1 = first.client().resource<Pod>(PODS);
    await pods1.create(pod('crash', { name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'echo starting; sleep 2; echo boom; exit 1'] }));
    await pods1.create(pod('done', { name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'echo one; sleep 1; echo two'] }, 'Never'));
    const withInit = pod('init', { name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] });
    withInit.spec.initContainers = [{ name: 'setup', image: 'busybox:1.36', command: ['sh', '-c', 'echo ready'] }];
    await pods1.create(withInit);
    await advance(first, clock1, 20_000);
    // Stop while the crashing container waits out a back-off: its last run is the one both reads show.
    for (let i = 0; i < 120 && (await get(first, 'crash')).status!.containerStatuses![0]!.state!.waiting?.reason !== 'CrashLoopBackOff'; i++) await advance(first, clock1, 1_000);
    const before = await reads(first);
    assert.deepEqual(before, ['starting\nboom\n', 'starting\nboom\n', 'one\ntwo\n', 'ready\n']);
    return before;
  }, async (second, _clock2, before) => {
    assert.deepEqual(await reads(second), before);
    // A replay starts at the startedAt the status has (whole seconds); each line comes one sleep later.
    const at = (rfc: string, plusMs = 0) => new Date(Date.parse(rfc) + plusMs).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
    const crashed = (await get(second, 'crash')).status!.containerStatuses![0]!;
    assert.equal(crashed.state!.waiting?.reason, 'CrashLoopBackOff');
    const last = crashed.lastState!.terminated!;
    assert.equal(await read(second, 'crash', { previous: true, timestamps: true }), `${at(last.startedAt!)} starting\n${at(last.startedAt!, 2_000)} boom\n`);
    const done = (await get(second, 'done')).status!.containerStatuses![0]!.state!.terminated!;
    assert.equal(await read(second, 'done', { timestamps: true }), `${at(done.startedAt!)} one\n${at(done.startedAt!, 1_000)} two\n`);
    await assert.rejects(read(second, 'done', { previous: true }), /previous terminated container "main" in pod "done" not found/);
  });
});

test('a replayed log ends where the container ended: a process killed in its sleep printed nothing after it', () => {
  const image = catalogImage(parseImageReference('busybox:1.36')!.repository)!;
  const process = { image, argv: ['sh', '-c', 'echo a; sleep 10; echo b; sleep 10; echo c'], env: {}, files: new Map<string, string>() };
  const lines = (finishedAt: number) => replayedLog(process, 'p', START, finishedAt).lines().map((l) => `${l.time - START} ${l.text}`);
  assert.deepEqual(lines(START + 5_000), ['0 a'], 'killed 5 s in');
  assert.deepEqual(lines(START + 10_000), ['0 a', '10000 b'], 'what it printed at the moment it was killed counts');
  assert.deepEqual(lines(START + 60_000), ['0 a', '10000 b', '20000 c'], 'it ended by itself');
  const log = replayedLog(process, 'p', START, START + 60_000);
  assert.equal(log.isEnded, true, 'nothing to follow');
});
