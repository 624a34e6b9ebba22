/**
 * `kubectl get pods -w` against the standalone server prints, for each path of a pod's life, the
 * STATUS values a real 1.32 cluster prints. The STATUS cell is kube-apiserver's printPod
 * (pkg/printers/internalversion/printers.go, ours in src/cluster/apiserver/printers/pods.ts); the
 * statuses it reads are the kubelet's (pkg/kubelet: generateAPIPodStatus and
 * convertToAPIContainerStatuses in kubelet_pods.go, computePodActions/SyncPod/doBackOff in
 * kuberuntime/kuberuntime_manager.go, prober/worker.go, status/generate.go).
 *
 * How many times a row repeats depends on how many status writes happen (the kubelet's status
 * manager coalesces writes too), so the tests compare the DISTINCT consecutive STATUS values. Every
 * pod first prints Pending twice (created, then bound: no container statuses yet, so printPod shows
 * the phase); the sequences below include one Pending.
 *
 * Path (manifest)                        Real 1.32 sequence, and why
 * Running (nginx)                        Pending → ContainerCreating → Running. The kubelet's first status,
 *                                        written before SyncPod starts anything, gives every container the
 *                                        default waiting reason ContainerCreating; Running once the PLEG
 *                                        relist (1 s) sees the container started.
 * Completed, Never (sleep 2)             … → ContainerCreating → Running → Completed: containerd's reason for
 *                                        exit 0, phase Succeeded; printPod shows the terminated reason.
 *                                        (sleep 2, not 1: whether the 1 s relist sees a 1 s container
 *                                        running is chance, on a real node too.)
 * Completed, OnFailure (true)            … → ContainerCreating → Completed: it exits before a relist sees it run.
 * Completed, Always (sleep 2)            … → Running → Completed → Running → Completed → CrashLoopBackOff →
 *                                        Running: the first restart is immediate (doBackOff: no back-off entry
 *                                        yet), the next exit is within the 10 s back-off of the previous, so
 *                                        the container waits as CrashLoopBackOff; RESTARTS 1, then 2.
 * CrashLoopBackOff (busybox, no command) … → ContainerCreating → Completed → CrashLoopBackOff → Completed →
 *                                        CrashLoopBackOff: sh exits at once and is never seen running;
 *                                        RESTARTS is 1 at the first back-off, 2 at the second (10 s, 20 s).
 * Error, Never (sh -c 'exit 1')          … → ContainerCreating → Error (containerd's reason for a non-zero exit).
 * ErrImagePull (example.com/...)         … → ContainerCreating → ErrImagePull → ImagePullBackOff → ErrImagePull
 *                                        → ImagePullBackOff: a failed pull is ErrImagePull; the next sync
 *                                        within the image back-off (10 s doubling) is ImagePullBackOff.
 * InvalidImageName (Nginx:Latest)        … → ContainerCreating → InvalidImageName: the reference does not
 *                                        parse, nothing is pulled, and it stays so.
 * OOMKilled, Never (limit 4Mi, nginx)    … → ContainerCreating → [Running] → OOMKilled. Running shows only when
 *                                        a relist sees the container before the kill, on a real node as here
 *                                        (it depends on how fast the process reaches its limit): optional.
 * Failing liveness probe (nginx, :8080)  … → ContainerCreating → Running → Running (RESTARTS 1) →
 *                                        CrashLoopBackOff → Running (RESTARTS 2): the prober waits until the
 *                                        status shows the container running; computePodActions kills and
 *                                        starts it again in one SyncPod, so no Completed row in between; the
 *                                        second kill comes within the back-off of the first.
 * CreateContainerConfigError             … → ContainerCreating → CreateContainerConfigError: the image is
 *   (env from a missing ConfigMap)       pulled, then generateContainerConfig fails; it stays so.
 * Init containers (sleep 2, then nginx)  Pending → Init:0/1 → PodInitializing → Running: every container of a
 *                                        pod with init containers waits as PodInitializing (printed Init:0/1
 *                                        on the init container), app containers too once init is done.
 * Init:Error, Never (init exits 1)       Pending → Init:0/1 → Init:Error: the pod is Failed, Initialized stays
 *                                        False (GeneratePodInitializedCondition), printPod keeps Init:.
 * Init:CrashLoopBackOff, Always          Pending → Init:0/1 → Init:Error → Init:CrashLoopBackOff → Init:Error
 *                                        → Init:CrashLoopBackOff.
 * Graceful delete (nginx)                … → Running → Terminating → Completed, then DELETED: printPod says
 *                                        Terminating while deletionTimestamp is set and the phase is not
 *                                        terminal (kubernetes#120207); nginx exits 0 on SIGTERM, the kubelet's
 *                                        final status is phase Succeeded (getPhase of a terminal pod), shown
 *                                        as Completed before the kubelet deletes the pod.
 * Node stopped (kubelet dies)            Pod: … → Running → Terminating, and Terminating it stays: the node
 *                                        lifecycle controller marks the node Ready=Unknown after 50 s
 *                                        (node-monitor-grace-period) and the pod Ready=False (MarkPodsNotReady:
 *                                        the STATUS column does not change), taint eviction deletes the pod
 *                                        when the 300 s default tolerations run out, and no kubelet finishes
 *                                        the delete. When the kubelet comes back it stops the container:
 *                                        Completed, DELETED. Node: Ready → NotReady → Ready.
 *
 * Kubernetes has no switch to kill a kubelet; the standalone server's is the node label
 * fault.kube-sim.io/kubelet=stopped (src/cluster/kubelet/nodes.ts).
 *
 * Two servers: every path but the node's runs on one at --speed 5, where the shortest state (one
 * relist, 1 s) lasts 200 ms of wall time: the kubelet writes one status at a time and the latest
 * wins, so a state shorter than a status write under load could be skipped (a real kubelet's
 * status manager coalesces too, at real speed). The node's path needs 350 s of cluster time and
 * runs on its own at --speed 50. All pods are created by one `kubectl apply` once the watch is up
 * (sixteen kubectl processes at once slowed the first status writes enough to skip a state), so the
 * paths run concurrently; each test waits on kubectl's output, never on wall time.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StandaloneServer, type RunningCommand } from './server';

interface Row {
  event: string;
  name: string;
  ready: string;
  status: string;
  restarts: number;
}

/** Rows of `kubectl get pods|nodes -w --output-watch-events`: EVENT NAME READY|STATUS … */
function podRows(out: string): Row[] {
  const rows: Row[] = [];
  for (const line of out.split('\n')) {
    const m = /^(ADDED|MODIFIED|DELETED)\s+(\S+)\s+(\d+\/\d+)\s+(\S+)\s+(\d+)(?: \([^)]*\))?\s+\S+$/.exec(line);
    if (m) rows.push({ event: m[1]!, name: m[2]!, ready: m[3]!, status: m[4]!, restarts: Number(m[5]) });
  }
  return rows;
}

/** The distinct consecutive values of `key` for one object. */
function distinct<T>(rows: Row[], name: string, key: (r: Row) => T): T[] {
  const out: T[] = [];
  for (const r of rows) if (r.name === name && (out.length === 0 || out.at(-1) !== key(r))) out.push(key(r));
  return out;
}

/** Starts a watch and resolves once kubectl's watch request has been answered (kubectl -v=6 logs it). */
async function watch(server: StandaloneServer, args: string[]): Promise<RunningCommand> {
  const command = server.startKubectl(['get', ...args, '-w', '--output-watch-events', '-v=6'], { timeoutMs: 180_000 });
  await command.until((_out, err) => /[?&]watch=true\S* 200 OK/.test(err), 'the watch request answered');
  return command;
}

function pod(name: string, spec: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;
}

/** The pods of every path on the --speed 5 server, by name. */
const PODS: Record<string, string> = {
  'web': 'containers: [{name: web, image: "nginx:1.27"}]',
  'done-never': 'restartPolicy: Never\ncontainers: [{name: job, image: "busybox:1.36", command: [sleep, "2"]}]',
  'done-onfailure': 'restartPolicy: OnFailure\ncontainers: [{name: job, image: "busybox:1.36", command: ["true"]}]',
  'done-always': 'containers: [{name: job, image: "busybox:1.36", command: [sleep, "2"]}]',
  'crash': 'containers: [{name: box, image: "busybox:1.36"}]',
  'error': 'restartPolicy: Never\ncontainers: [{name: job, image: "busybox:1.36", command: [sh, -c, "exit 1"]}]',
  'nopull': 'containers: [{name: app, image: "example.com/team/missing:1.0"}]',
  'badname': 'containers: [{name: app, image: "Nginx:Latest"}]',
  'oom': 'restartPolicy: Never\ncontainers: [{name: web, image: "nginx:1.27", resources: {limits: {memory: 4Mi}}}]',
  'liveness': 'containers:\n- name: web\n  image: "nginx:1.27"\n  livenessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1, failureThreshold: 2}',
  'noconfig': 'containers:\n- name: app\n  image: "busybox:1.36"\n  command: [sleep, "3600"]\n  env: [{name: COLOR, valueFrom: {configMapKeyRef: {name: missing, key: color}}}]',
  'init': 'initContainers: [{name: setup, image: "busybox:1.36", command: [sleep, "2"]}]\ncontainers: [{name: web, image: "nginx:1.27"}]',
  'init-error': 'restartPolicy: Never\ninitContainers: [{name: setup, image: "busybox:1.36", command: [sh, -c, "exit 1"]}]\ncontainers: [{name: web, image: "nginx:1.27"}]',
  'init-crash': 'initContainers: [{name: setup, image: "busybox:1.36", command: [sh, -c, "exit 1"]}]\ncontainers: [{name: web, image: "nginx:1.27"}]',
  'doomed': 'containers: [{name: web, image: "nginx:1.27"}]',
};

let server: StandaloneServer;
let nodeServer: StandaloneServer;
let pods: RunningCommand;

before(async () => {
  [server, nodeServer] = await Promise.all([
    StandaloneServer.start({ nodes: 2, args: ['--speed', '5'] }),
    StandaloneServer.start({ nodes: 2, args: ['--speed', '50'] }),
  ]);
  pods = await watch(server, ['pods']);
  const apply = await server.kubectl(['apply', '-f', '-'], { input: Object.entries(PODS).map(([name, spec]) => pod(name, spec)).join('---\n') });
  assert.equal(apply.code, 0, apply.stderr);
});

after(async () => {
  await pods?.kill();
  await Promise.all([server?.stop(), nodeServer?.stop()]);
});

/**
 * Waits until the pod's distinct STATUS values are as long as `expected` (or have gone another way)
 * and returns them with the pod's rows.
 */
async function run(name: string, expected: string[]): Promise<{ statuses: string[]; rows: Row[] }> {
  assert.ok(PODS[name], name);
  const statuses = () => distinct(podRows(pods.stdout), name, (r) => r.status);
  await pods.until(() => {
    const seen = statuses();
    return seen.length >= expected.length || seen.some((s, i) => s !== expected[i]);
  }, `${name}: ${expected.join(' → ')}`);
  return { statuses: statuses().slice(0, expected.length), rows: podRows(pods.stdout).filter((r) => r.name === name) };
}

/** RESTARTS on the first row of each stretch of `reason`. */
function restartsAtBackOff(rows: Row[], reason: string): number[] {
  const out: number[] = [];
  rows.forEach((r, i) => { if (r.status === reason && rows[i - 1]?.status !== reason) out.push(r.restarts); });
  return out;
}

describe('kubectl get pods -w: the STATUS sequence of each path', { concurrency: true }, () => {
  test('Running: ContainerCreating → Running', async () => {
    const { statuses } = await run('web', ['Pending', 'ContainerCreating', 'Running']);
    assert.deepEqual(statuses, ['Pending', 'ContainerCreating', 'Running']);
  });

  test('Completed under Never: Running → Completed', async () => {
    const expected = ['Pending', 'ContainerCreating', 'Running', 'Completed'];
    const { statuses } = await run('done-never', expected);
    assert.deepEqual(statuses, expected);
  });

  test('Completed under OnFailure: exits before it is seen running', async () => {
    const expected = ['Pending', 'ContainerCreating', 'Completed'];
    const { statuses } = await run('done-onfailure', expected);
    assert.deepEqual(statuses, expected);
  });

  test('Completed under Always: restarted at once, then CrashLoopBackOff', async () => {
    const expected = ['Pending', 'ContainerCreating', 'Running', 'Completed', 'Running', 'Completed', 'CrashLoopBackOff', 'Running'];
    const { statuses, rows } = await run('done-always', expected);
    assert.deepEqual(statuses, expected);
    assert.deepEqual(distinct(rows, 'done-always', (r) => `${r.status} ${r.restarts}`).filter((s) => s.startsWith('Running')).slice(0, 3), ['Running 0', 'Running 1', 'Running 2']);
  });

  test('CrashLoopBackOff: busybox with no command, RESTARTS counting', async () => {
    const expected = ['Pending', 'ContainerCreating', 'Completed', 'CrashLoopBackOff', 'Completed', 'CrashLoopBackOff'];
    const { statuses, rows } = await run('crash', expected);
    assert.deepEqual(statuses, expected);
    assert.deepEqual(restartsAtBackOff(rows, 'CrashLoopBackOff').slice(0, 2), [1, 2]);
  });

  test('Error: exit 1 under Never', async () => {
    const expected = ['Pending', 'ContainerCreating', 'Error'];
    const { statuses } = await run('error', expected);
    assert.deepEqual(statuses, expected);
  });

  test('ErrImagePull → ImagePullBackOff: an image the registry does not have', async () => {
    const expected = ['Pending', 'ContainerCreating', 'ErrImagePull', 'ImagePullBackOff', 'ErrImagePull', 'ImagePullBackOff'];
    const { statuses } = await run('nopull', expected);
    assert.deepEqual(statuses, expected);
  });

  test('InvalidImageName: a reference that does not parse', async () => {
    const expected = ['Pending', 'ContainerCreating', 'InvalidImageName'];
    const { statuses } = await run('badname', expected);
    assert.deepEqual(statuses, expected);
  });

  test('OOMKilled: a memory limit below what the image uses', async () => {
    const { statuses } = await run('oom', ['Pending', 'ContainerCreating', 'Running', 'OOMKilled']);
    const withoutRunning = statuses.filter((s) => s !== 'Running');
    assert.deepEqual(withoutRunning.slice(0, 3), ['Pending', 'ContainerCreating', 'OOMKilled'], statuses.join(' → '));
    await pods.until((out) => distinct(podRows(out), 'oom', (r) => r.status).at(-1) === 'OOMKilled', 'oom: OOMKilled');
  });

  test('a failing liveness probe restarts the container: Running, Running (1), CrashLoopBackOff, Running (2)', async () => {
    const expected = ['Pending', 'ContainerCreating', 'Running', 'CrashLoopBackOff', 'Running'];
    const { statuses, rows } = await run('liveness', expected);
    assert.deepEqual(statuses, expected);
    assert.deepEqual(distinct(rows, 'liveness', (r) => `${r.status} ${r.restarts}`).slice(2, 6), ['Running 0', 'Running 1', 'CrashLoopBackOff 1', 'Running 2']);
  });

  test('CreateContainerConfigError: env from a ConfigMap that does not exist', async () => {
    const expected = ['Pending', 'ContainerCreating', 'CreateContainerConfigError'];
    const { statuses } = await run('noconfig', expected);
    assert.deepEqual(statuses, expected);
  });

  test('init containers: Init:0/1 → PodInitializing → Running', async () => {
    const expected = ['Pending', 'Init:0/1', 'PodInitializing', 'Running'];
    const { statuses } = await run('init', expected);
    assert.deepEqual(statuses, expected);
  });

  test('Init:Error: an init container that fails under Never', async () => {
    const expected = ['Pending', 'Init:0/1', 'Init:Error'];
    const { statuses } = await run('init-error', expected);
    assert.deepEqual(statuses, expected);
    // Failed, and still Init:Error (not the app container's PodInitializing).
    const failed = await server.kubectl(['wait', '--for=jsonpath={.status.phase}=Failed', 'pod/init-error', '--timeout=60s']);
    assert.equal(failed.code, 0, failed.stderr);
    const get = await server.kubectl(['get', 'pod', 'init-error', '--no-headers']);
    assert.equal(get.stdout.split(/\s+/)[2], 'Init:Error');
  });

  test('Init:CrashLoopBackOff: an init container that fails under Always', async () => {
    const expected = ['Pending', 'Init:0/1', 'Init:Error', 'Init:CrashLoopBackOff', 'Init:Error', 'Init:CrashLoopBackOff'];
    const { statuses, rows } = await run('init-crash', expected);
    assert.deepEqual(statuses, expected);
    assert.deepEqual(restartsAtBackOff(rows, 'Init:CrashLoopBackOff').slice(0, 2), [1, 2]);
  });

  test('graceful delete: Terminating, Completed when nginx has stopped, then gone', async () => {
    await run('doomed', ['Pending', 'ContainerCreating', 'Running']);
    const del = await server.kubectl(['delete', 'pod', 'doomed', '--grace-period=5', '--wait=false']);
    assert.equal(del.code, 0, del.stderr);
    await pods.until((out) => podRows(out).some((r) => r.name === 'doomed' && r.event === 'DELETED'), 'doomed: DELETED');
    const rows = podRows(pods.stdout).filter((r) => r.name === 'doomed');
    assert.deepEqual(distinct(rows, 'doomed', (r) => r.status), ['Pending', 'ContainerCreating', 'Running', 'Terminating', 'Completed']);
    assert.deepEqual(rows.at(-1), { event: 'DELETED', name: 'doomed', ready: '0/1', status: 'Completed', restarts: 0 });
  });

  test('a node whose kubelet stops: NotReady, its pod Terminating after the 300 s tolerations; back again, the pod goes', async () => {
    const nodePods = await watch(nodeServer, ['pods']);
    const nodes = await watch(nodeServer, ['nodes']);
    try {
      const apply = await nodeServer.kubectl(['apply', '-f', '-'], { input: pod('stranded', 'nodeSelector: {kubernetes.io/hostname: node-2}\ncontainers: [{name: web, image: "nginx:1.27"}]') });
      assert.equal(apply.code, 0, apply.stderr);
      await nodePods.until((out) => podRows(out).some((r) => r.name === 'stranded' && r.status === 'Running'), 'stranded: Running');

      const stop = await nodeServer.kubectl(['label', 'node', 'node-2', 'fault.kube-sim.io/kubelet=stopped']);
      assert.equal(stop.code, 0, stop.stderr);
      await nodePods.until((out) => podRows(out).some((r) => r.name === 'stranded' && r.status === 'Terminating'), 'stranded: Terminating');
      const conditions = await nodeServer.kubectl(['get', 'pod', 'stranded', '-o', 'jsonpath={range .status.conditions[*]}{.type}={.status} {end}']);
      assert.match(conditions.stdout, /Ready=False/);
      assert.match(conditions.stdout, /DisruptionTarget=True/);

      const start = await nodeServer.kubectl(['label', 'node', 'node-2', 'fault.kube-sim.io/kubelet-']);
      assert.equal(start.code, 0, start.stderr);
      await nodePods.until((out) => podRows(out).some((r) => r.name === 'stranded' && r.event === 'DELETED'), 'stranded: DELETED');
      const rows = podRows(nodePods.stdout).filter((r) => r.name === 'stranded');
      assert.deepEqual(distinct(rows, 'stranded', (r) => r.status), ['Pending', 'ContainerCreating', 'Running', 'Terminating', 'Completed']);

      await nodes.until((out) => /^MODIFIED\s+node-2\s+Ready\s/m.test(out.slice(out.search(/^\S+\s+node-2\s+NotReady\s/m))), 'node-2 Ready again');
      const nodeStatuses: string[] = [];
      for (const m of nodes.stdout.matchAll(/^(?:ADDED|MODIFIED)\s+node-2\s+(\S+)\s/gm)) if (nodeStatuses.at(-1) !== m[1]) nodeStatuses.push(m[1]!);
      assert.deepEqual(nodeStatuses, ['Ready', 'NotReady', 'Ready']);
    } finally {
      await Promise.all([nodePods.kill(), nodes.kill()]);
    }
  });
});
